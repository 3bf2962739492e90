#!/usr/bin/env python3
"""PyTorch training step of the issue-5 "small" E-code shape, the reference figure beside tfjs.

Written from ecode-spec.md (not copied from the original repository): five BERT experts (hidden 128,
2 layers, 2 heads, intermediate 512; fields 16/192/48/48/96 tokens), concatenation along the sequence,
an integration BERT of the same size on input embeddings, MLP enlarge 128 -> 256 (no activation), a
GPT-Neo encoder over the slow code (256 tokens), a GPT-Neo decoder over [start] + efficient code
(256 positions), 16-head nn.MultiheadAttention (query = EC states, key = value = encoder output), a
GPT-Neo output decoder on input embeddings with a tied LM head; GPT-Neo: hidden 256, 4 layers, 4 heads,
intermediate 1024, alternating global/local attention (window 128), no 1/sqrt(d) scaling, gelu_new,
pre-LN. Vocabularies 8000. AdamW, clip 1.0, batch 4. Prints one JSON object.

--shape paper: the paper's sizes (tools/bench/model/small-shape.ts, PAPER_LENGTHS): text vocabulary
30522, code vocabulary 50257, five 512-token fields cut to the integration BERT's 2048 positions,
GPT-Neo-125M stacks (hidden 768, 12 layers, 12 heads, intermediate 3072, window 256), 48-head cross
attention, slow code 768 tokens, 767 target labels, batch 1.

  python3 torch_small.py [--device cuda|cpu] [--threads N] [--steps 10] [--warmup 2] [--shape small|paper]
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SHAPES = {
    'small': dict(text_vocab=8000, vocab=8000, fields=[16, 192, 48, 48, 96], integration_positions=512,
                  ic=256, target=256, batch=4, d=256, layers=4, heads=4, inter=1024, positions=1024,
                  window=128, cross_heads=16),
    'paper': dict(text_vocab=30522, vocab=50257, fields=[512] * 5, integration_positions=2048,
                  ic=768, target=767, batch=1, d=768, layers=12, heads=12, inter=3072, positions=2048,
                  window=256, cross_heads=48),
}
PAD, START = 0, 102


class BertLayer(nn.Module):
    def __init__(self, d, heads, inter, p):
        super().__init__()
        self.h = heads
        self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.o, self.ln1 = nn.Linear(d, d), nn.LayerNorm(d, eps=1e-12)
        self.fc1, self.fc2, self.ln2 = nn.Linear(d, inter), nn.Linear(inter, d), nn.LayerNorm(d, eps=1e-12)
        self.drop = nn.Dropout(p)

    def forward(self, x, bias):
        b, t, d = x.shape
        split = lambda y: y.view(b, t, self.h, d // self.h).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        att = self.drop(torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d // self.h) + bias, -1))
        ctx = (att @ v).transpose(1, 2).reshape(b, t, d)
        x = self.ln1(x + self.drop(self.o(ctx)))
        return self.ln2(x + self.drop(self.fc2(F.gelu(self.fc1(x)))))


class Bert(nn.Module):
    def __init__(self, vocab, d=128, layers=2, heads=2, inter=512, positions=512, p=0.1):
        super().__init__()
        self.word, self.pos, self.token_type = nn.Embedding(vocab, d), nn.Embedding(positions, d), nn.Embedding(2, d)
        self.ln, self.drop = nn.LayerNorm(d, eps=1e-12), nn.Dropout(p)
        self.layers = nn.ModuleList(BertLayer(d, heads, inter, p) for _ in range(layers))

    def forward(self, ids=None, embeds=None, mask=None):
        x = self.word(ids) if embeds is None else embeds
        t = x.shape[1]
        pos = torch.arange(t, device=x.device)
        x = self.drop(self.ln(x + self.pos(pos)[None] + self.token_type(torch.zeros_like(pos))[None]))
        bias = torch.zeros(1, 1, 1, t, device=x.device) if mask is None else (1.0 - mask[:, None, None, :]) * -1e9
        for layer in self.layers:
            x = layer(x, bias)
        return x


class NeoBlock(nn.Module):
    def __init__(self, d, heads, inter, local, window):
        super().__init__()
        self.h, self.local, self.window = heads, local, window
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.q, self.k, self.v = nn.Linear(d, d, bias=False), nn.Linear(d, d, bias=False), nn.Linear(d, d, bias=False)
        self.o = nn.Linear(d, d)
        self.fc, self.proj = nn.Linear(d, inter), nn.Linear(inter, d)

    def forward(self, x):
        b, t, d = x.shape
        h = self.ln1(x)
        split = lambda y: y.view(b, t, self.h, d // self.h).transpose(1, 2)
        q, k, v = split(self.q(h)), split(self.k(h)), split(self.v(h))
        i = torch.arange(t, device=x.device)
        allowed = i[None, :] <= i[:, None]
        if self.local:
            allowed = allowed & (i[:, None] - i[None, :] < self.window)
        scores = (q @ k.transpose(-1, -2)).masked_fill(~allowed, torch.finfo(x.dtype).min)  # no 1/sqrt(d)
        ctx = (torch.softmax(scores, -1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.o(ctx)
        return x + self.proj(F.gelu(self.fc(self.ln2(x)), approximate='tanh'))


class Neo(nn.Module):
    def __init__(self, vocab, d, layers, heads, inter, positions, window):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocab, d), nn.Embedding(positions, d)
        self.blocks = nn.ModuleList(NeoBlock(d, heads, inter, j % 2 == 1, window) for j in range(layers))
        self.ln_f = nn.LayerNorm(d)

    def forward(self, ids=None, embeds=None):
        x = self.wte(ids) if embeds is None else embeds
        x = x + self.wpe(torch.arange(x.shape[1], device=x.device))[None]
        for blk in self.blocks:
            x = blk(x)
        return self.ln_f(x)


class ECode(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.vocab, self.integration_positions = s['vocab'], s['integration_positions']
        self.experts = nn.ModuleList(Bert(s['text_vocab']) for _ in s['fields'])
        self.integration = Bert(s['text_vocab'], positions=s['integration_positions'])
        self.enlarge = nn.Linear(128, s['d'])
        neo = lambda: Neo(s['vocab'], s['d'], s['layers'], s['heads'], s['inter'], s['positions'], s['window'])
        self.ic_layer, self.ec_layer, self.out_layer = neo(), neo(), neo()
        self.cross = nn.MultiheadAttention(s['d'], s['cross_heads'], batch_first=True)

    def forward(self, fields, ic, ec_in, labels):
        text = torch.cat([e(f) for e, f in zip(self.experts, fields)], 1)[:, :self.integration_positions]
        text = self.enlarge(self.integration(embeds=text))
        memory = torch.cat([text, self.ic_layer(ic)], 1)
        q = self.ec_layer(ec_in)
        mixed, _ = self.cross(q, memory, memory, need_weights=False)
        hidden = self.out_layer(embeds=mixed)
        logits = hidden @ self.out_layer.wte.weight.t()
        return F.cross_entropy(logits.reshape(-1, self.vocab), labels.reshape(-1), ignore_index=PAD)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    ap.add_argument('--threads', type=int, default=0)
    ap.add_argument('--steps', type=int, default=10)
    ap.add_argument('--warmup', type=int, default=2)
    ap.add_argument('--shape', choices=sorted(SHAPES), default='small')
    a = ap.parse_args()
    s = SHAPES[a.shape]
    batch, target, vocab = s['batch'], s['target'], s['vocab']
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(666)
    dev = torch.device(a.device)
    model = ECode(s).to(dev).train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.0)
    rnd = lambda n, v: torch.randint(1000, v - 1, (batch, n), device=dev)
    fields = [rnd(n, s['text_vocab']) for n in s['fields']]
    ic, ec = rnd(s['ic'], vocab), rnd(target - 1, vocab)
    ec_in = torch.cat([torch.full((batch, 1), START, device=dev), ec], 1)
    labels = torch.cat([ec, torch.full((batch, 1), vocab - 1, device=dev)], 1)
    sync = (lambda: torch.cuda.synchronize()) if dev.type == 'cuda' else (lambda: None)
    times, losses = [], []
    for step in range(a.warmup + a.steps):
        sync()
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = model(fields, ic, ec_in, labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())  # reads back, as the tfjs loop does every step
        sync()
        if step >= a.warmup:
            times.append(time.perf_counter() - t0)
    times.sort()
    med = times[len(times) // 2]
    print(json.dumps({
        'bench': f'torch/train-step-{a.shape}',
        'shape': a.shape,
        'device': torch.cuda.get_device_name(dev) if dev.type == 'cuda' else f'cpu ({torch.get_num_threads()} threads)',
        'torch': torch.__version__,
        'parameters': sum(p.numel() for p in model.parameters()),
        'steps': a.steps,
        'msPerStep': round(med * 1000, 2),
        'targetTokensPerSecond': round(batch * target / med),
        'losses': [round(x, 4) for x in losses],
    }, indent=2))


if __name__ == '__main__':
    main()
