"""The PyTorch peer of TorchBench: the same BERT QA model written plainly with torch.nn (Hugging Face's eager BERT
semantics: post-LN layers, exact GELU, dropout 0.1 on embeddings, attention probabilities and sub-layer outputs,
additive padding mask), trained with AdamW + clipping and run for inference, in float32 and under bfloat16 autocast.

Usage: /usr/bin/python3 pytorch_peer.py LAYERS HIDDEN HEADS SEQ BATCH THREADS SECONDS
Prints one JSON object per line: {"mode": "fp32"|"bf16-autocast", "train": ex/s, "infer": ex/s}, then the config.
"""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Layer(nn.Module):
    def __init__(self, h, heads, f, p):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(h, h) for _ in range(4))
        self.ln1, self.ln2 = nn.LayerNorm(h, eps=1e-12), nn.LayerNorm(h, eps=1e-12)
        self.up, self.down = nn.Linear(h, f), nn.Linear(f, h)
        self.drop = nn.Dropout(p)

    def split(self, x):
        b, s, h = x.shape
        return x.view(b, s, self.heads, h // self.heads).transpose(1, 2)

    def forward(self, x, bias):
        q, k, v = self.split(self.q(x)), self.split(self.k(x)), self.split(self.v(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]) + bias
        context = self.drop(scores.softmax(-1)) @ v
        b, heads, s, d = context.shape
        context = context.transpose(1, 2).reshape(b, s, heads * d)
        x = self.ln1(self.drop(self.o(context)) + x)
        return self.ln2(self.drop(self.down(F.gelu(self.up(x)))) + x)


class BertQa(nn.Module):
    def __init__(self, layers, h, heads, f, vocab=30522, positions=512, p=0.1):
        super().__init__()
        self.words, self.positions, self.types = nn.Embedding(vocab, h, padding_idx=0), nn.Embedding(positions, h), nn.Embedding(2, h)
        self.ln, self.drop = nn.LayerNorm(h, eps=1e-12), nn.Dropout(p)
        self.layers = nn.ModuleList(Layer(h, heads, f, p) for _ in range(layers))
        self.qa = nn.Linear(h, 2)

    def forward(self, ids, mask):
        pos = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.drop(self.ln(self.words(ids) + self.positions(pos) + self.types(torch.zeros_like(ids))))
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        for layer in self.layers:
            x = layer(x, bias)
        start, end = self.qa(x).split(1, dim=-1)
        return start.squeeze(-1), end.squeeze(-1)


def rate(seconds, step):
    step()
    start, n = time.perf_counter(), 0
    while time.perf_counter() - start < seconds or n < 3:
        step()
        n += 1
    return n / (time.perf_counter() - start)


def main():
    layers, h, heads, seq, batch, threads, seconds = (int(a) for a in sys.argv[1:8])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = BertQa(layers, h, heads, 4 * h)
    ids = torch.randint(1000, 30000, (batch, seq))
    mask = torch.ones(batch, seq, dtype=torch.long)
    labels = torch.randint(0, seq, (batch,))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-5, weight_decay=0.01)
    for mode in ("fp32", "bf16-autocast"):
        autocast = torch.autocast("cpu", dtype=torch.bfloat16, enabled=mode != "fp32")

        def train_step():
            opt.zero_grad()
            with autocast:
                s, e = model(ids, mask)
                loss = (F.cross_entropy(s.float(), labels) + F.cross_entropy(e.float(), labels)) / 2
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            loss.item()

        def infer_step():
            with torch.no_grad(), autocast:
                s, _ = model(ids, mask)
                s.float().sum().item()

        model.train()
        train = rate(seconds, train_step) * batch
        model.eval()
        infer = rate(seconds / 2, infer_step) * batch
        print(json.dumps({"mode": mode, "train": train, "infer": infer}), flush=True)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "config": torch.__config__.show().replace("\n", " | ")}), flush=True)


if __name__ == "__main__":
    main()
