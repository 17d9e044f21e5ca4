#!/usr/bin/env python3
"""An independent safetensors reader/builder, written from the format description only (stdlib, no numpy).

  python3 safetensors_reference.py check FILE   validate FILE and print each tensor's values and a checksum
  python3 safetensors_reference.py build FILE   write a small hand-built file and print its bytes as hex

Format: u64 little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets}, "__metadata__"?},
then the data buffer; offsets are relative to the buffer. Used once by hand to cross-check the C# reader and
writer; the results are pinned in Checkpoints/SafeTensorsInteropTests.cs, so CI does not need Python.
"""
import hashlib
import json
import struct
import sys

SIZES = {"BOOL": 1, "U8": 1, "I8": 1, "I16": 2, "F16": 2, "BF16": 2, "I32": 4, "F32": 4, "F64": 8, "I64": 8}
# The reference implementation's dtype order (increasing alignment); the writer sorts by it, descending.
ORDER = ["BOOL", "U8", "I8", "I16", "F16", "BF16", "I32", "F32", "F64", "I64"]


def decode(dtype, raw):
    n = len(raw) // SIZES[dtype]
    if dtype == "BF16":
        return [struct.unpack("<f", struct.pack("<I", h << 16))[0] for h in struct.unpack(f"<{n}H", raw)]
    code = {"BOOL": "?", "U8": "B", "I8": "b", "I16": "h", "F16": "e", "I32": "i", "F32": "f", "F64": "d", "I64": "q"}[dtype]
    return list(struct.unpack(f"<{n}{code}", raw))


def check(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    assert 8 + n <= len(data), "header length larger than the file"
    header = json.loads(data[8:8 + n].decode("utf-8"))
    buffer = data[8 + n:]
    meta = header.pop("__metadata__", None)
    print("metadata", json.dumps(meta, sort_keys=True))
    end = 0
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"]):
        begin, stop = info["data_offsets"]
        count = 1
        for d in info["shape"]:
            count *= d
        assert begin == end, f"{name}: not packed"
        assert stop - begin == count * SIZES[info["dtype"]], f"{name}: size mismatch"
        assert stop <= len(buffer), f"{name}: truncated"
        end = stop
        raw = buffer[begin:stop]
        values = decode(info["dtype"], raw)
        print(name, info["dtype"], info["shape"], [begin, stop], "values", values,
              "sum", repr(float(sum(values))), "sha256", hashlib.sha256(raw).hexdigest())
    assert end == len(buffer), "bytes after the last tensor"
    print("file sha256", hashlib.sha256(data).hexdigest())


def build(path):
    tensors = {
        "a.f32": ("F32", [2, 2], struct.pack("<4f", 1.5, -2.0, 3.25, 0.0)),
        "b.f16": ("F16", [3], struct.pack("<3e", 1.0, -0.5, 65504.0)),
        "c.bf16": ("BF16", [2], struct.pack("<2H", 0x3F80, 0xC020)),  # 1.0, -2.5
        "d.i64": ("I64", [2], struct.pack("<2q", -1, 2 ** 40)),
    }
    order = sorted(tensors, key=lambda k: (-ORDER.index(tensors[k][0]), k.encode("utf-8")))
    header, offset, blob = {"__metadata__": {"format": "pt"}}, 0, b""
    for name in order:
        dtype, shape, raw = tensors[name]
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blob += raw
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    data = struct.pack("<Q", len(text)) + text + blob
    open(path, "wb").write(data)
    print(data.hex())


if __name__ == "__main__":
    {"check": check, "build": build}[sys.argv[1]](sys.argv[2])
