"""Traces bench/unet_torch.py's U-Net (eval mode, random weights) to a TorchScript file, for timing a
whole-network TorchScript sampling forward in DJL's libtorch (bench/TracedUNet.java).

Usage: /usr/bin/python3 bench/trace_unet.py OUT.pt --batch 64 [--key value ...]   (unet_torch.py's keys)
"""
import sys

import torch

import unet_torch


def main():
    out, args = sys.argv[1], unet_torch.parse_args(sys.argv[2:])
    torch.manual_seed(args.seed)
    model = unet_torch.UNet(args, 2 * args.channels if args.learn_sigma else args.channels).eval()
    for p in model.parameters():  # the zero-initialised projections would make the trace trivially cheap
        torch.nn.init.normal_(p, std=0.05)
    x = torch.randn(args.batch, args.channels, args.size, args.size)
    t = torch.full((args.batch,), 500.0)
    with torch.no_grad():
        torch.jit.trace(model, (x, t), check_trace=False).save(out)
    print(f"wrote {out}: batch {args.batch}, torch {torch.__version__}")


if __name__ == "__main__":
    main()
