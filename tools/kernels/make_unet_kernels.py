"""Writes the U-Net's fused kernels as a TorchScript module: platform/kit/src/main/resources/io/difflab/kit/nn/unet_kernels.pt.

DJL 0.36 exposes no group norm and no SiLU; PyTorch has both as single native kernels
(aten::native_group_norm, aten::silu) with fused backward kernels. This module wraps them, so that
io.difflab.kit.nn.UNetKernels can call them through DJL's TorchScript method call, with autograd
when the caller records a graph. The group count travels as the shape of gamma, passed as a
(G, C/G) view, so that no call needs an int argument or a constant tensor.

Run with Debian's python3-torch 1.13 (the file is read by DJL's libtorch 2.7.1, which loads older
TorchScript files): /usr/bin/python3 tools/kernels/make_unet_kernels.py
"""
import math
import os
import sys

import torch
import torch.nn.functional as F
from torch import Tensor

EPS = 1e-5  # GroupNorm's default epsilon (Wu & He 2018); io.difflab.kit.nn.GroupNorm falls back for others


def activate(h: Tensor) -> Tensor:
    """SiLU of a fresh intermediate: in place when no graph is recorded (sampling), saving a buffer."""
    if torch.is_grad_enabled():
        return F.silu(h)
    return F.silu(h, inplace=True)


class UNetKernels(torch.nn.Module):
    """Stateless kernels; forward is the identity (TorchScript modules need one)."""

    def forward(self, x: Tensor) -> Tensor:
        return x

    @torch.jit.export
    def group_norm(self, x: Tensor, gamma: Tensor, beta: Tensor) -> Tensor:
        """Wu & He 2018, eq. 1-3, with G = gamma.size(0) groups; gamma, beta as (G, C/G)."""
        return torch.group_norm(x, gamma.size(0), gamma.reshape(-1), beta.reshape(-1), 1e-5, False)

    @torch.jit.export
    def group_norm_silu(self, x: Tensor, gamma: Tensor, beta: Tensor) -> Tensor:
        """SiLU(GN(x)) (Elfwing et al. 2018): the residual block's and the output's norm then activation."""
        return activate(torch.group_norm(x, gamma.size(0), gamma.reshape(-1), beta.reshape(-1), 1e-5, False))

    @torch.jit.export
    def add_group_norm_silu(self, x: Tensor, e: Tensor, gamma: Tensor, beta: Tensor) -> Tensor:
        """SiLU(GN(x + e)), e the projected timestep embedding (N, C, 1, 1) (Ho et al. 2020, appendix B)."""
        return activate(torch.group_norm(x + e, gamma.size(0), gamma.reshape(-1), beta.reshape(-1), 1e-5, False))

    @torch.jit.export
    def scale_shift_norm_silu(self, x: Tensor, scale_shift: Tensor, gamma: Tensor, beta: Tensor) -> Tensor:
        """SiLU(GN(x)·(1 + s) + b), (s, b) the halves of the projected embedding (N, 2C, 1, 1)
        (adaptive group norm, Dhariwal & Nichol 2021, sec. 3)."""
        scale, shift = scale_shift.chunk(2, dim=1)
        h = torch.group_norm(x, gamma.size(0), gamma.reshape(-1), beta.reshape(-1), 1e-5, False)
        return activate(torch.addcmul(shift, h, scale + 1))

    @torch.jit.export
    def attention(self, qkv: Tensor) -> Tensor:
        """softmax(QᵀK/√d)V per head (Vaswani et al. 2017, eq. 1) over positions: qkv (B·heads, 3d, T)
        in guided-diffusion's legacy head order, the result (B·heads, d, T)."""
        q, k, v = qkv.chunk(3, dim=1)
        scale = 1.0 / math.sqrt(q.size(1))
        weight = torch.softmax(torch.bmm((q * scale).transpose(1, 2), k), dim=-1)
        return torch.bmm(weight, v.transpose(1, 2)).transpose(1, 2)

    @torch.jit.export
    def silu(self, x: Tensor) -> Tensor:
        """x·σ(x) in one kernel."""
        return F.silu(x)


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = os.path.join(root, "platform/kit/src/main/resources/io/difflab/kit/nn/unet_kernels.pt")
    module = torch.jit.script(UNetKernels())
    module.eval()
    torch.jit.save(module, out)
    # check the file against the plain formulas before anyone relies on it
    loaded = torch.jit.load(out)
    torch.manual_seed(0)
    x, e, ss = torch.randn(3, 8, 5, 5), torch.randn(3, 8, 1, 1), torch.randn(3, 16, 1, 1)
    gamma, beta = torch.randn(8), torch.randn(8)
    mean = x.reshape(3, 4, -1).mean(-1, keepdim=True)
    var = x.reshape(3, 4, -1).var(-1, unbiased=False, keepdim=True)
    gn = ((x.reshape(3, 4, -1) - mean) / torch.sqrt(var + EPS)).reshape(x.shape) * gamma[:, None, None] + beta[:, None, None]
    g2, b2 = gamma.reshape(4, 2), beta.reshape(4, 2)
    qkv = torch.randn(6, 3 * 4, 10)
    q, k, v = qkv[:, :4], qkv[:, 4:8], qkv[:, 8:]
    attended = torch.einsum("bts,bcs->bct", torch.softmax(torch.einsum("bct,bcs->bts", q, k) / 2.0, dim=-1), v)
    checks = {
        "group_norm": (loaded.group_norm(x, g2, b2), gn),
        "group_norm_silu": (loaded.group_norm_silu(x, g2, b2), gn * torch.sigmoid(gn)),
        "silu": (loaded.silu(x), x * torch.sigmoid(x)),
        "attention": (loaded.attention(qkv), attended),
    }
    with torch.no_grad():  # the in-place SiLU of sampling
        checks["group_norm_silu, no grad"] = (loaded.group_norm_silu(x, g2, b2), gn * torch.sigmoid(gn))
    for name, (got, want) in checks.items():
        err = (got - want).abs().max().item()
        if err > 1e-5:
            sys.exit(f"{name}: max error {err}")
    print(f"wrote {out} ({os.path.getsize(out)} bytes) with torch {torch.__version__}")


if __name__ == "__main__":
    main()
