"""Global-local fusion module (GLFM).

Local part = LoFGAN's local fusion: selected positions of the base feature map are matched (cosine
similarity) to their most similar position in each reference map and replaced by the convex mix
a_base * phi_base + sum_i a_i * phi_ref_i. Global part: a Transformer block over the tokens of all
K feature maps gives per-shot global representations G_1..G_K, mixed in as
    f = (1 - tau) * f_local + sum_i b_i * G_i,   tau = sigmoid(.), b_i = sigmoid(beta_i)
with tau and every b_i predicted from the encoder features by separate heads, as in the paper:
how much local detail to keep and how much of each shot's global context to add are independent
decisions (tying b to tau would force "less local" to mean "more global").
Positions and coefficients are inputs: nothing random happens inside the module.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def gather_cols(x, idx):
    """x [..., C, P], idx [..., N] -> [..., C, N]"""
    return torch.gather(x, -1, idx.unsqueeze(-2).expand(*x.shape[:-1], idx.shape[-1]))


class LocalFusion(nn.Module):
    def forward(self, feats, coefficients, positions):
        """feats [B, K, C, h, w] (base first), coefficients [B, K], positions [B, N] int64.
        -> fused base [B, C, h, w], ref_indices [B, K-1, N]."""
        b, k, c, h, w = feats.shape
        flat = feats.reshape(-1, k, c, h * w)
        base, refs = flat[:, 0], flat[:, 1:]
        base_sel = gather_cols(base, positions)                           # [B, C, N]
        q = F.normalize(base_sel, dim=1).transpose(1, 2).unsqueeze(1)     # [B, 1, N, C]
        r = F.normalize(refs, dim=2)                                      # [B, K-1, C, P]
        ref_idx = torch.matmul(q, r).argmax(dim=-1)                       # [B, K-1, N]
        ref_sel = gather_cols(refs, ref_idx)                              # [B, K-1, C, N]
        fused = fuse_selected(base_sel, ref_sel, coefficients)
        out = base.scatter(2, positions.unsqueeze(1).expand(-1, c, -1), fused)
        return out.reshape(-1, c, h, w), ref_idx


def fuse_selected(base_sel, ref_sel, coefficients):
    """a_base * base_sel + sum_i a_i * ref_sel_i. base_sel [B,C,N], ref_sel [B,K-1,C,N]."""
    stacked = torch.cat([base_sel.unsqueeze(1), ref_sel], dim=1)
    return (coefficients.unsqueeze(-1).unsqueeze(-1) * stacked).sum(dim=1)


class GlobalTransformer(nn.Module):
    """Pre-norm Transformer block over the K*h*w tokens of all shots, with learned position and
    shot embeddings (the base shot is always slot 0). Written out with matmuls so the exported
    graph is plain ONNX."""

    def __init__(self, dim, k, grid, heads=4, mlp_ratio=2):
        super().__init__()
        self.heads, self.dim = heads, dim
        self.pos = nn.Parameter(torch.randn(1, 1, grid * grid, dim) * 0.02)
        self.shot = nn.Parameter(torch.randn(1, k, 1, dim) * 0.02)
        self.norm1 = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, mlp_ratio * dim), nn.GELU(), nn.Linear(mlp_ratio * dim, dim))

    def forward(self, feats):
        b, k, c, h, w = feats.shape
        t = feats.flatten(3).transpose(2, 3) + self.pos + self.shot        # [B, K, P, C]
        t = t.reshape(-1, k * h * w, c)
        qkv = self.qkv(self.norm1(t)).reshape(-1, k * h * w, 3, self.heads, c // self.heads)
        q, kk, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)                    # [B, heads, T, d]
        att = torch.matmul(q, kk.transpose(-1, -2)) / math.sqrt(c // self.heads)
        y = torch.matmul(att.softmax(dim=-1), v).transpose(1, 2).reshape(-1, k * h * w, c)
        t = t + self.proj(y)
        t = t + self.mlp(self.norm2(t))
        return t.reshape(-1, k, h * w, c).transpose(2, 3).reshape(-1, k, c, h, w)


class GLFM(nn.Module):
    def __init__(self, dim, k, grid, heads=4, use_global=True):
        super().__init__()
        self.local = LocalFusion()
        self.use_global = use_global
        if use_global:
            self.transformer = GlobalTransformer(dim, k, grid, heads)
            self.tau_head = nn.Linear(dim, 1)   # from the mean of all shots' pooled features
            self.beta_head = nn.Linear(2 * dim, 1)  # per shot: [own pooled, mean pooled]
            # start with a small global share (b ~ 0.12 per shot) so early training leans on the
            # local fusion, whose reconstruction target is exact
            nn.init.constant_(self.beta_head.bias, -2.0)

    def mix_weights(self, feats):
        """tau [B], b [B, K] predicted from the encoder features by independent heads."""
        pooled = feats.mean(dim=(3, 4))                                   # [B, K, C]
        ctx = pooled.mean(dim=1)                                          # [B, C]
        tau = torch.sigmoid(self.tau_head(ctx)).squeeze(1)
        beta = self.beta_head(torch.cat([pooled, ctx.unsqueeze(1).expand_as(pooled)], dim=2)).squeeze(2)
        return tau, torch.sigmoid(beta)

    def fuse(self, feats, coefficients, positions):
        """-> fused [B, C, h, w] and what the fusion did: {ref_idx, tau, b} (tau/b None when local
        only), which the reconstruction loss replays on the real images."""
        f_local, ref_idx = self.local(feats, coefficients, positions)
        if not self.use_global:
            return f_local, {"ref_idx": ref_idx, "tau": None, "b": None}
        g = self.transformer(feats)                                       # [B, K, C, h, w]
        tau, bw = self.mix_weights(feats)
        f = (1 - tau).reshape(-1, 1, 1, 1) * f_local + (bw.reshape(*bw.shape, 1, 1, 1) * g).sum(dim=1)
        return f, {"ref_idx": ref_idx, "tau": tau, "b": bw}

    def forward(self, feats, coefficients, positions):
        f, fusion = self.fuse(feats, coefficients, positions)
        return f, fusion["ref_idx"]
