#!/usr/bin/python3
"""Builds a tiny CLIP (Radford et al. 2021) with the TorchScript interface of OpenAI's released
checkpoints, saves it, and writes its outputs for fixed inputs: the fixture the Java TorchScript
import (io.difflab.kit.clip.TorchScriptClip) is tested against.

Runs with Debian's python3-torch (1.13): python3 tools/clip/make_tiny_clip.py [OUT_DIR]

Interface, as in the released files: methods encode_image(image) and encode_text(text), the
parameter logit_scale (a log-temperature, initialised to log(1/0.07)), forward(image, text)
returning (logits_per_image, logits_per_text), and the buffers input_resolution, context_length and
vocab_size. Parameter names follow OpenAI's clip/model.py, so the geometry can be read from
parameter shapes as its build_model does. The architecture is CLIP's ViT variant at toy size:
image 32x32 in 8x8 patches, a class token, pre- and post-LayerNorm, pre-LayerNorm residual
attention blocks with QuickGELU MLPs, a linear projection; text: token and position embeddings,
a causal transformer, the final LayerNorm, pooled at the end-of-text token (the row's largest id)
and projected. The vocabulary (2514 ids) is that of the committed BPE sample.

Inputs are closed-form, so the Java test makes the same ones:
  image[n, c, y, x] = sin(0.3 (n + 1) + 0.7 c + 0.11 y - 0.05 x)   (float64, then float32)
  text: the token rows of TEXTS under the sample vocabulary (written out too)
"""
import json
import math
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clip_bpe_reference  # noqa: E402

RESOLUTION, PATCH, CONTEXT, VOCAB = 32, 8, 77, 2514
WIDTH, LAYERS, HEADS, EMBED = 16, 2, 2, 8
TEXTS = ["a red circle", "two blue squares left of a star", "a photo of a cat"]


class QuickGELU(nn.Module):
    """x·σ(1.702x), the GELU approximation CLIP was trained with."""

    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class Block(nn.Module):
    """Pre-LayerNorm residual block: x + attn(ln_1(x)), then x + mlp(ln_2(x)); sequence-first."""

    def __init__(self, width, heads):
        super().__init__()
        self.ln_1 = nn.LayerNorm(width)
        self.attn = nn.MultiheadAttention(width, heads)
        self.ln_2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential()
        self.mlp.add_module("c_fc", nn.Linear(width, 4 * width))
        self.mlp.add_module("gelu", QuickGELU())
        self.mlp.add_module("c_proj", nn.Linear(4 * width, width))

    def forward(self, x, mask: torch.Tensor):
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, need_weights=False, attn_mask=mask)[0]
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width, layers, heads):
        super().__init__()
        self.resblocks = nn.ModuleList([Block(width, heads) for _ in range(layers)])

    def forward(self, x, mask: torch.Tensor):
        for block in self.resblocks:
            x = block(x, mask)
        return x


class VisionTransformer(nn.Module):
    def __init__(self):
        super().__init__()
        grid = RESOLUTION // PATCH
        self.conv1 = nn.Conv2d(3, WIDTH, kernel_size=PATCH, stride=PATCH, bias=False)
        self.class_embedding = nn.Parameter(WIDTH ** -0.5 * torch.randn(WIDTH))
        self.positional_embedding = nn.Parameter(WIDTH ** -0.5 * torch.randn(grid * grid + 1, WIDTH))
        self.ln_pre = nn.LayerNorm(WIDTH)
        self.transformer = Transformer(WIDTH, LAYERS, HEADS)
        self.ln_post = nn.LayerNorm(WIDTH)
        self.proj = nn.Parameter(WIDTH ** -0.5 * torch.randn(WIDTH, EMBED))
        self.register_buffer("no_mask", torch.zeros(grid * grid + 1, grid * grid + 1), persistent=False)

    def forward(self, image):
        x = self.conv1(image).flatten(2).permute(0, 2, 1)  # (N, grid², width)
        cls = self.class_embedding.expand(x.shape[0], 1, -1)
        x = self.ln_pre(torch.cat([cls, x], dim=1) + self.positional_embedding)
        x = self.transformer(x.permute(1, 0, 2), self.no_mask).permute(1, 0, 2)
        return self.ln_post(x[:, 0, :]) @ self.proj


class TinyClip(nn.Module):
    def __init__(self):
        super().__init__()
        self.visual = VisionTransformer()
        self.token_embedding = nn.Embedding(VOCAB, WIDTH)
        self.positional_embedding = nn.Parameter(0.01 * torch.randn(CONTEXT, WIDTH))
        self.transformer = Transformer(WIDTH, LAYERS, HEADS)
        self.ln_final = nn.LayerNorm(WIDTH)
        self.text_projection = nn.Parameter(WIDTH ** -0.5 * torch.randn(WIDTH, EMBED))
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
        # causal: position i attends to positions <= i (additive mask, -inf above the diagonal)
        self.register_buffer("attn_mask", torch.full((CONTEXT, CONTEXT), float("-inf")).triu(1), persistent=False)
        self.register_buffer("input_resolution", torch.tensor(RESOLUTION))
        self.register_buffer("context_length", torch.tensor(CONTEXT))
        self.register_buffer("vocab_size", torch.tensor(VOCAB))

    @torch.jit.export
    def encode_image(self, image):
        return self.visual(image)

    @torch.jit.export
    def encode_text(self, text):
        x = self.token_embedding(text) + self.positional_embedding
        x = self.transformer(x.permute(1, 0, 2), self.attn_mask).permute(1, 0, 2)
        x = self.ln_final(x)
        # the end-of-text token has the largest id: pool there (Radford et al. 2021, §2.4)
        return x[torch.arange(x.shape[0]), text.argmax(dim=-1)] @ self.text_projection

    def forward(self, image, text):
        image_features = self.encode_image(image)
        text_features = self.encode_text(text)
        image_features = image_features / image_features.norm(p=2.0, dim=1, keepdim=True)
        text_features = text_features / text_features.norm(p=2.0, dim=1, keepdim=True)
        logits_per_image = self.logit_scale.exp() * image_features @ text_features.t()
        return logits_per_image, logits_per_image.t()


def images(n):
    v = torch.zeros(n, 3, RESOLUTION, RESOLUTION, dtype=torch.float64)
    for i in range(n):
        for c in range(3):
            for y in range(RESOLUTION):
                for x in range(RESOLUTION):
                    v[i, c, y, x] = math.sin(0.3 * (i + 1) + 0.7 * c + 0.11 * y - 0.05 * x)
    return v.float()


def rounded(t):
    return [float(f"{v:.7g}") for v in t.detach().flatten().tolist()]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        here, "../../platform/kit/src/test/resources/io/difflab/kit/clip")
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(2021)
    model = TinyClip().eval()
    scripted = torch.jit.script(model)
    scripted.save(os.path.join(out, "tiny-clip.pt"))

    sample = os.path.join(here, "../../platform/kit/src/test/resources/io/difflab/kit/text/clip-bpe-sample.txt")
    bpe = clip_bpe_reference.ClipBpe(clip_bpe_reference.read_merges(sample, None))
    assert bpe.size == VOCAB
    text = torch.tensor([bpe.row(t, CONTEXT) for t in TEXTS], dtype=torch.int32)
    image = images(2)
    with torch.no_grad():
        image_features = scripted.encode_image(image)
        text_features = scripted.encode_text(text)
        logits_per_image, logits_per_text = scripted(image, text)
    # the input gradient CLIP guidance needs: d/dx of Σ encode_image(x)²
    x = image.clone().requires_grad_(True)
    scripted.encode_image(x).square().sum().backward()
    expected = {
        "generator": "tools/clip/make_tiny_clip.py", "torch": torch.__version__,
        "input_resolution": RESOLUTION, "context_length": CONTEXT, "vocab_size": VOCAB, "embed_dim": EMBED,
        "texts": TEXTS, "text_ids": text.tolist(),
        "logit_scale": float(scripted.logit_scale),
        "image_features": rounded(image_features), "text_features": rounded(text_features),
        "logits_per_image": rounded(logits_per_image), "logits_per_text": rounded(logits_per_text),
        "image_gradient_of_sum_of_squared_features": rounded(x.grad),
    }
    with open(os.path.join(out, "tiny-clip-expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    print(f"{out}/tiny-clip.pt: {os.path.getsize(os.path.join(out, 'tiny-clip.pt'))} bytes,",
          f"{sum(p.numel() for p in model.parameters())} parameters")


if __name__ == "__main__":
    main()
