"""The diffusion-lab U-Net written in PyTorch eager, for comparing speed and memory with the DJL one.

Same architecture, initialisation and step as io.difflab.kit.nn.bench.UNetBench (guided-diffusion's
UNetModel design; Ho et al. 2020, Dhariwal & Nichol 2021), written with ordinary PyTorch idioms
(nn.GroupNorm, F.silu). Usage: python3 bench/unet_torch.py --threads 2 --phase train|sample [--key value ...]
"""
import argparse
import math
import os
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def groups_for(channels, max_groups=32):
    """Largest divisor of channels up to max_groups leaving at least two channels per group (GroupNorm.groupsFor)."""
    for g in range(min(channels // 2, max_groups), 1, -1):
        if channels % g == 0:
            return g
    return 1


def norm(channels):
    return nn.GroupNorm(groups_for(channels), channels)


def zero(module):
    for p in module.parameters():
        nn.init.zeros_(p)
    return module


def heads(channels, a):
    """Heads of an attention layer: channels / head-channels when that is set (guided-diffusion's num_head_channels)."""
    return channels // a.head_channels if a.head_channels > 0 else a.heads


def half(size):
    return (size + 1) // 2


def timestep_embedding(t, dim, max_period=10000):
    half_dim = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half_dim, dtype=torch.float32) / half_dim)
    args = t.float()[:, None] * freqs[None]
    emb = torch.cat([torch.cos(args), torch.sin(args)], dim=-1)
    return F.pad(emb, (0, 1)) if dim % 2 else emb


class ResBlock(nn.Module):
    def __init__(self, ch, out, emb, dropout, scale_shift, rescale, resample=None, up_size=None):
        super().__init__()
        self.in_norm, self.in_conv = norm(ch), nn.Conv2d(ch, out, 3, padding=1)
        self.emb = nn.Linear(emb, 2 * out if scale_shift else out)
        self.out_norm, self.dropout = norm(out), nn.Dropout(dropout)
        self.out_conv = zero(nn.Conv2d(out, out, 3, padding=1))
        self.skip = nn.Identity() if ch == out else nn.Conv2d(ch, out, 1)
        self.scale_shift, self.rescale, self.resample, self.up_size = scale_shift, rescale, resample, up_size

    def _resample(self, x):
        if self.resample == "down":
            return F.avg_pool2d(x, 2, 2, ceil_mode=True, count_include_pad=False)
        if self.resample == "up":
            return F.interpolate(x, size=self.up_size, mode="nearest")
        return x

    def forward(self, x, emb):
        h = self.in_conv(self._resample(F.silu(self.in_norm(x))))
        x = self._resample(x)
        e = self.emb(F.silu(emb))[:, :, None, None]
        if self.scale_shift:
            scale, shift = e.chunk(2, dim=1)
            h = self.out_norm(h) * (1 + scale) + shift
        else:
            h = self.out_norm(h + e)
        out = self.skip(x) + self.out_conv(self.dropout(F.silu(h)))
        return out / math.sqrt(2) if self.rescale else out


class Attention(nn.Module):
    def __init__(self, ch, heads, rescale):
        super().__init__()
        self.norm, self.qkv = norm(ch), nn.Conv2d(ch, 3 * ch, 1)
        self.proj = zero(nn.Conv2d(ch, ch, 1))
        self.heads, self.rescale = heads, rescale

    def forward(self, x, emb=None):
        b, c, hh, ww = x.shape
        d = c // self.heads
        q, k, v = self.qkv(self.norm(x)).reshape(b * self.heads, 3 * d, hh * ww).split(d, dim=1)
        weight = torch.softmax((q / math.sqrt(d)).transpose(1, 2) @ k, dim=-1)
        out = x + self.proj((v @ weight.transpose(1, 2)).reshape(b, c, hh, ww))
        return out / math.sqrt(2) if self.rescale else out


class Down(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.conv = nn.Conv2d(ch, ch, 3, stride=2, padding=1)

    def forward(self, x, emb=None):
        return self.conv(x)


class Up(nn.Module):
    def __init__(self, ch, size):
        super().__init__()
        self.conv, self.size = nn.Conv2d(ch, ch, 3, padding=1), size

    def forward(self, x, emb=None):
        return self.conv(F.interpolate(x, size=self.size, mode="nearest"))


class Stage(nn.ModuleList):
    def forward(self, x, emb):
        for layer in self:
            x = layer(x, emb)
        return x


class UNet(nn.Module):
    def __init__(self, a, out_channels):
        super().__init__()
        base, mult = a.base, a.mult
        emb = 4 * base
        self.base = base
        self.time = nn.Sequential(nn.Linear(base, emb), nn.SiLU(), nn.Linear(emb, emb))
        self.label = nn.Embedding(a.classes + 1, emb) if a.classes > 0 else None
        sizes = [a.size]
        for _ in mult[1:]:
            sizes.append(half(sizes[-1]))
        res = dict(emb=emb, dropout=a.dropout, scale_shift=a.scale_shift, rescale=a.rescale_skip)
        ch = base * mult[0]
        self.input_conv = nn.Conv2d(a.channels, ch, 3, padding=1)
        self.encoder, skips = nn.ModuleList(), [ch]
        for level, m in enumerate(mult):
            for _ in range(a.res_blocks):
                stage = Stage([ResBlock(ch, base * m, **res)])
                ch = base * m
                if sizes[level] in a.attn:
                    stage.append(Attention(ch, heads(ch, a), a.rescale_skip))
                self.encoder.append(stage)
                skips.append(ch)
            if level != len(mult) - 1:
                down = ResBlock(ch, ch, resample="down", **res) if a.resblock_updown else Down(ch)
                self.encoder.append(Stage([down]))
                skips.append(ch)
        self.middle = Stage([ResBlock(ch, ch, **res), Attention(ch, heads(ch, a), a.rescale_skip), ResBlock(ch, ch, **res)])
        self.decoder = nn.ModuleList()
        for level in reversed(range(len(mult))):
            for i in range(a.res_blocks + 1):
                stage = Stage([ResBlock(ch + skips.pop(), base * mult[level], **res)])
                ch = base * mult[level]
                if sizes[level] in a.attn:
                    stage.append(Attention(ch, heads(ch, a), a.rescale_skip))
                if level > 0 and i == a.res_blocks:
                    size = (sizes[level - 1], sizes[level - 1])
                    stage.append(ResBlock(ch, ch, resample="up", up_size=size, **res) if a.resblock_updown
                                 else Up(ch, size))
                self.decoder.append(stage)
        self.out_norm, self.out_conv = norm(ch), zero(nn.Conv2d(ch, out_channels, 3, padding=1))

    def forward(self, x, t, labels=None):
        emb = self.time(timestep_embedding(t, self.base))
        if self.label is not None:
            emb = emb + self.label(labels)
        h = self.input_conv(x)
        hs = [h]
        for stage in self.encoder:
            h = stage(h, emb)
            hs.append(h)
        h = self.middle(h, emb)
        for stage in self.decoder:
            h = stage(torch.cat([h, hs.pop()], dim=1), emb)
        return self.out_conv(F.silu(self.out_norm(h)))


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return -1


def parse_args(argv=None):
    """The bench's --key value settings (the same keys as the DJL bench's BenchOptions)."""
    p = argparse.ArgumentParser()
    ints = lambda s: [int(v) for v in s.split(",") if v.strip()]
    boolean = lambda s: s.lower() == "true"
    for key, kind, default in [("threads", int, 2), ("phase", str, "train"), ("batch", int, 64), ("steps", int, 20),
                               ("warmup", int, 3), ("size", int, 28), ("channels", int, 1), ("classes", int, 0),
                               ("learn-sigma", boolean, False), ("base", int, 64), ("mult", ints, [1, 2, 2]),
                               ("res-blocks", int, 2), ("attn", ints, [14]), ("heads", int, 4), ("head-channels", int, -1),
                               ("dropout", float, 0.1),
                               ("resblock-updown", boolean, False), ("scale-shift", boolean, False),
                               ("rescale-skip", boolean, False), ("seed", int, 0), ("profile", str, "")]:
        p.add_argument("--" + key, type=kind, default=default)
    return p.parse_args(argv)


def main():
    a = parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(a.seed)
    out_channels = 2 * a.channels if a.learn_sigma else a.channels
    model = UNet(a, out_channels)
    params = list(model.parameters())
    n, shape = a.batch, (a.batch, a.channels, a.size, a.size)
    rss_before = rss_mib()
    ms, cpu_ms, thread_ms, phase_ms = [], [], [], [[], [], []]
    x = torch.randn(shape)
    profiler = None
    for i in range(-a.warmup, a.steps):
        if i == 0:
            before = resource.getrusage(resource.RUSAGE_SELF)
            faults_before = before.ru_minflt
        if i == 0 and a.profile:
            profiler = torch.autograd.profiler.profile(record_shapes=True)
            profiler.__enter__()
        start, cpu_start, thread_start = time.perf_counter(), time.process_time(), time.thread_time()
        labels = torch.randint(0, a.classes + 1, (n,)) if a.classes > 0 else None
        if a.phase == "train":
            model.train()
            x0 = torch.rand(shape) * 2 - 1
            noise = torch.randn(shape)
            alpha_bar = torch.rand(n, 1, 1, 1)
            xt = x0 * alpha_bar.sqrt() + noise * (1 - alpha_bar).sqrt()
            t = torch.randint(0, 1000, (n,)).float()
            mark = time.process_time()
            out = model(xt, t, labels)
            loss = (out[:, :a.channels] - noise).square().mean()
            forward_ms, mark = (time.process_time() - mark) * 1000, time.process_time()
            loss.backward()
            backward_ms, mark = (time.process_time() - mark) * 1000, time.process_time()
            with torch.no_grad():
                for w in params:
                    w.sub_(w.grad, alpha=1e-4)
                    w.grad.zero_()
            if i >= 0:
                for k, v in enumerate([forward_ms, backward_ms, (time.process_time() - mark) * 1000]):
                    phase_ms[k].append(v)
        else:
            model.eval()
            with torch.no_grad():
                t = torch.full((n,), 999.0 - max(i, 0) % 1000)
                eps = model(x, t, labels)[:, :a.channels]
                x = (x - 0.01 * eps) * 1.001 + 0.01 * torch.randn(shape)
        if i >= 0:
            ms.append((time.perf_counter() - start) * 1000)
            cpu_ms.append((time.process_time() - cpu_start) * 1000)
            thread_ms.append((time.thread_time() - thread_start) * 1000)
    after = resource.getrusage(resource.RUSAGE_SELF)
    faults = (after.ru_minflt - faults_before) // a.steps
    user_ms = int((after.ru_utime - before.ru_utime) * 1000 / a.steps)
    sys_ms = int((after.ru_stime - before.ru_stime) * 1000 / a.steps)
    if profiler is not None:
        profiler.__exit__(None, None, None)
        profiler.export_chrome_trace(a.profile)
    ms.sort()
    cpu_ms.sort()
    thread_ms.sort()
    print(f"engine=PyTorch {torch.__version__} eager threads={torch.get_num_threads()} interop={torch.get_num_interop_threads()} "
          f"malloc={'jemalloc' if 'jemalloc' in os.environ.get('LD_PRELOAD', '') else 'glibc-tuned' if 'MALLOC_MMAP_THRESHOLD_' in os.environ else 'glibc'}")
    print(f"config: image {a.channels}x{a.size}x{a.size}, batch {n}, base {a.base}, mult {a.mult}, res-blocks "
          f"{a.res_blocks}, attn {a.attn}, heads {a.heads}, head-channels {a.head_channels}, dropout {a.dropout}, classes {a.classes}, learn-sigma "
          f"{a.learn_sigma}, resblock-updown {a.resblock_updown}, scale-shift {a.scale_shift}, rescale-skip "
          f"{a.rescale_skip}, parameters {sum(p.numel() for p in params)}")
    print(f"phase={a.phase} steps={a.steps} median_ms={ms[len(ms) // 2]:.1f} mean_ms={sum(ms) / len(ms):.1f} "
          f"min_ms={ms[0]:.1f} cpu_median_ms={cpu_ms[len(cpu_ms) // 2]:.1f} main_thread_cpu_median_ms={thread_ms[len(thread_ms) // 2]:.1f} rss_before_MiB={rss_before:.0f} peak_rss_MiB={peak_rss_mib():.0f} "
          f"minor_faults_per_step={faults} user_ms_per_step={user_ms} sys_ms_per_step={sys_ms}")
    if a.phase == "train":
        med = [sorted(p)[len(p) // 2] for p in phase_ms]
        print(f"phases forward_cpu_ms={med[0]:.1f} backward_cpu_ms={med[1]:.1f} update_cpu_ms={med[2]:.1f}")


if __name__ == "__main__":
    main()
