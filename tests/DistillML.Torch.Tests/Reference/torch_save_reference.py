"""Writes a PyTorch state dict the way Hugging Face's pytorch_model.bin is written (torch.save of an OrderedDict of
tensors, zip format), for the C# loader to read back.

Usage: /usr/bin/python3 torch_save_reference.py SHAPES.json OUT_DIR
SHAPES.json: {"tensor name": [dims], ...}. Writes OUT_DIR/pytorch_model.bin and, for the comparison, OUT_DIR/values.bin:
every tensor's float32 values in the order of SHAPES.json, little-endian, concatenated.
"""
import collections
import json
import sys

import torch

shapes = json.load(open(sys.argv[1]))
torch.manual_seed(0)
state = collections.OrderedDict()
for name, dims in shapes.items():
    state[name] = torch.randn(*dims) * 0.5
    if name.endswith("LayerNorm.weight"):
        state[name] = state[name] + 1.0  # not all near zero
torch.save(state, sys.argv[2] + "/pytorch_model.bin")
with open(sys.argv[2] + "/values.bin", "wb") as out:
    for name in shapes:
        out.write(state[name].contiguous().numpy().astype("<f4").tobytes())
print(json.dumps({"torch": torch.__version__, "tensors": len(state)}))
