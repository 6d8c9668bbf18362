"""The diffusion-lab CLIP written in PyTorch eager, for comparing speed and memory with the DJL one.

Same architecture and training step as io.difflab.host.bench.ClipBench (openai/CLIP's model.py design,
Radford et al. 2021): a vision transformer over p x p patches with a class token and a causal text
transformer pooled at the end token, pre-LayerNorm layers (nn.MultiheadAttention, 4x GELU MLP),
projections into the shared embedding, the symmetric contrastive loss with a learned temperature;
then global-norm clipping at 1, Adam (lr 1e-3) and a weight average (decay 0.99), as the platform's
trainer does. Random images and token rows of random lengths stand in for data.
Usage: python3 bench/clip_torch.py --threads 2 [--batch 128 --steps 20 ...]
"""
import argparse
import math
import os
import random
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Layer(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.ln_1, self.attn = nn.LayerNorm(width), nn.MultiheadAttention(width, heads, batch_first=True)
        self.ln_2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))

    def forward(self, x, mask=None):
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, need_weights=False, attn_mask=mask)[0]
        return x + self.mlp(self.ln_2(x))


class Vision(nn.Module):
    def __init__(self, size, patch, width, layers, heads, embed):
        super().__init__()
        self.patch = patch
        self.embed = nn.Linear(3 * patch * patch, width, bias=False)
        self.cls = nn.Parameter(torch.randn(width) / math.sqrt(width))
        self.pos = nn.Parameter(torch.randn((size // patch) ** 2 + 1, width) / math.sqrt(width))
        self.ln_pre, self.ln_post = nn.LayerNorm(width), nn.LayerNorm(width)
        self.layers = nn.ModuleList(Layer(width, heads) for _ in range(layers))
        self.proj = nn.Linear(width, embed, bias=False)

    def forward(self, x):
        n, c, s, _ = x.shape
        g = s // self.patch
        patches = x.reshape(n, c, g, self.patch, g, self.patch).permute(0, 2, 4, 1, 3, 5).reshape(n, g * g, -1)
        h = torch.cat([self.cls.expand(n, 1, -1), self.embed(patches)], dim=1) + self.pos
        h = self.ln_pre(h)
        for layer in self.layers:
            h = layer(h)
        return self.proj(self.ln_post(h[:, 0]))


class Text(nn.Module):
    def __init__(self, vocab, context, width, layers, heads, embed):
        super().__init__()
        self.tokens = nn.Embedding(vocab, width)
        self.pos = nn.Parameter(torch.randn(context, width) * 0.01)
        self.layers = nn.ModuleList(Layer(width, heads) for _ in range(layers))
        self.ln_final = nn.LayerNorm(width)
        self.proj = nn.Linear(width, embed, bias=False)
        self.heads = heads
        self.register_buffer("causal", torch.full((context, context), -1e9).triu(1))

    def forward(self, ids, mask):
        n, length = ids.shape
        h = self.tokens(ids) + self.pos
        # causal, and no query attends to padding: (N·heads, L, L) additive, as the DJL mask
        bias = (self.causal[None] + (1 - mask[:, None, :].float()) * -1e9).repeat_interleave(self.heads, 0)
        for layer in self.layers:
            h = layer(h, bias)
        h = self.ln_final(h)
        return self.proj(h[torch.arange(n), mask.sum(1) - 1])


def main():
    p = argparse.ArgumentParser()
    for key, default in [("threads", 2), ("batch", 128), ("steps", 20), ("warmup", 3), ("size", 32), ("patch", 4),
                         ("image-width", 64), ("image-layers", 3), ("text-width", 64), ("text-layers", 2),
                         ("heads", 4), ("embed", 64), ("vocab", 40), ("context", 16), ("seed", 0)]:
        p.add_argument("--" + key, type=int, default=default)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(a.seed)
    vision = Vision(a.size, a.patch, a.image_width, a.image_layers, a.heads, a.embed)
    text = Text(a.vocab, a.context, a.text_width, a.text_layers, a.heads, a.embed)
    logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
    params = list(vision.parameters()) + list(text.parameters()) + [logit_scale]
    optimizer = torch.optim.Adam(params, lr=1e-3)
    average = [w.detach().clone() for w in params]
    n = a.batch
    rss_before = rss_mib()
    ms, cpu_ms = [], []
    rng = random.Random(n)
    for i in range(-a.warmup, a.steps):
        if i == 0:
            before = resource.getrusage(resource.RUSAGE_SELF)
        start, cpu_start = time.perf_counter(), time.process_time()
        images = torch.rand(n, 3, a.size, a.size) * 2 - 1
        ids = torch.zeros(n, a.context, dtype=torch.long)
        mask = torch.zeros(n, a.context, dtype=torch.long)
        for r in range(n):
            used = 3 + rng.randrange(a.context - 2)
            ids[r, :used] = torch.tensor([2] + [4 + rng.randrange(a.vocab - 4) for _ in range(used - 2)] + [3])
            mask[r, :used] = 1
        x = F.normalize(vision(images), dim=1)
        y = F.normalize(text(ids, mask), dim=1)
        logits = logit_scale.exp() * x @ y.t()
        labels = torch.arange(n)
        loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        with torch.no_grad():
            for avg, w in zip(average, params):
                avg.mul_(0.99).add_(w, alpha=0.01)
        if i >= 0:
            ms.append((time.perf_counter() - start) * 1000)
            cpu_ms.append((time.process_time() - cpu_start) * 1000)
    after = resource.getrusage(resource.RUSAGE_SELF)
    ms.sort()
    cpu_ms.sort()
    print(f"engine=PyTorch {torch.__version__} eager threads={torch.get_num_threads()} "
          f"malloc={'jemalloc' if 'jemalloc' in os.environ.get('LD_PRELOAD', '') else 'glibc-tuned' if 'MALLOC_MMAP_THRESHOLD_' in os.environ else 'glibc'}")
    print(f"config: {vars(a)}, parameters {sum(w.numel() for w in params)}")
    print(f"phase=train steps={a.steps} median_ms={ms[len(ms) // 2]:.1f} mean_ms={sum(ms) / len(ms):.1f} "
          f"min_ms={ms[0]:.1f} cpu_median_ms={cpu_ms[len(cpu_ms) // 2]:.1f} rss_before_MiB={rss_before:.0f} "
          f"peak_rss_MiB={peak_rss_mib():.0f} user_ms_per_step={int((after.ru_utime - before.ru_utime) * 1000 / a.steps)} "
          f"sys_ms_per_step={int((after.ru_stime - before.ru_stime) * 1000 / a.steps)}")


def rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
