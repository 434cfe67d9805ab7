"""Contextual Transformer (CoT) block (Li et al., CoTNet).

Keys are encoded by a grouped kxk conv into a *static* context. The static context, concatenated
with the query (the input itself), goes through two consecutive 1x1 convs that predict a
multi-head local attention matrix (one kxk window per position and head). That attention
aggregates the values over each window into a *dynamic* context. Static and dynamic contexts are
fused with a split-attention gate. As in CoTNet, the dynamic context goes through BatchNorm + an
activation before the fusion, and the block is residual (CoTNet's CoT block sits in a bottleneck
with an identity shortcut): without the shortcut, five stacked blocks start far from identity and
the encoder's gradients shrink. Only standard ops (pad, slice, softmax) so it exports to ONNX.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CoTBlock(nn.Module):
    def __init__(self, dim, kernel_size=3, heads=4, reduction=2):
        super().__init__()
        assert dim % heads == 0 and dim % 4 == 0, "CoT width must be divisible by heads and 4"
        self.dim, self.k, self.heads = dim, kernel_size, heads
        # static context: grouped kxk conv over the keys (keys = input)
        self.key_embed = nn.Sequential(
            nn.Conv2d(dim, dim, kernel_size, padding=kernel_size // 2, groups=4, bias=False),
            nn.BatchNorm2d(dim), nn.ReLU())
        self.value_embed = nn.Sequential(nn.Conv2d(dim, dim, 1, bias=False), nn.BatchNorm2d(dim))
        mid = max(dim // reduction, 8)
        # two consecutive 1x1 convs: [query, static context] -> per-head kxk attention logits
        self.attention_embed = nn.Sequential(
            nn.Conv2d(2 * dim, mid, 1, bias=False), nn.BatchNorm2d(mid), nn.ReLU(),
            nn.Conv2d(mid, heads * kernel_size * kernel_size, 1))
        # CoTNet normalises and activates the aggregated values before fusing them with the static context
        self.dynamic_norm = nn.Sequential(nn.BatchNorm2d(dim), nn.ReLU())
        # split-attention fusion of static and dynamic context
        attn = max(dim // 4, 8)
        self.fuse = nn.Sequential(nn.Conv2d(dim, attn, 1), nn.ReLU(), nn.Conv2d(attn, 2 * dim, 1))

    def forward(self, x):
        kk = self.k * self.k
        h, w = x.shape[2], x.shape[3]
        static = self.key_embed(x)
        value = self.value_embed(x)
        att = self.attention_embed(torch.cat([x, static], dim=1))
        att = att.reshape(-1, self.heads, kk, 1, h, w).softmax(dim=2)
        # sum over the window one shift at a time: same result as stacking the k*k shifted values,
        # without materialising them (several times faster, in PyTorch and in onnxruntime)
        p = self.k // 2
        vp = F.pad(value, (p, p, p, p)).reshape(-1, self.heads, self.dim // self.heads, h + 2 * p, w + 2 * p)
        dynamic = None
        for j in range(kk):
            dy, dx = divmod(j, self.k)
            term = att[:, :, j] * vp[:, :, :, dy:dy + h, dx:dx + w]
            dynamic = term if dynamic is None else dynamic + term
        dynamic = self.dynamic_norm(dynamic.reshape(-1, self.dim, h, w))
        gate = self.fuse((static + dynamic).mean(dim=(2, 3), keepdim=True))
        gate = gate.reshape(-1, 2, self.dim, 1, 1).softmax(dim=1)
        return x + gate[:, 0] * static + gate[:, 1] * dynamic
