"""MVSA-GAN generator (SAEncoder -> GLFM -> Decoder) and the sampling of fusion inputs."""
import torch
import torch.nn as nn

from .networks import GLFM, Decoder, Discriminator, build_encoder


class Generator(nn.Module):
    def __init__(self, mcfg):
        super().__init__()
        self.k, self.grid = mcfg["k_shot"], mcfg["grid"]
        self.encoder = build_encoder(mcfg["encoder"], mcfg["widths"], mcfg["strides"], mcfg["heads"])
        c = self.encoder.out_channels
        self.glfm = GLFM(c, self.k, self.grid, mcfg["heads"], use_global=mcfg["global_fusion"])
        self.decoder = Decoder(mcfg["decoder"], c)

    def encode(self, images):
        b, k = images.shape[:2]
        f = self.encoder(images.flatten(0, 1))
        return f.reshape(-1, k, f.shape[1], f.shape[2], f.shape[3])

    def forward(self, images, coefficients, positions):
        """images [B, K, 3, H, W] base first; -> image [B, 3, H, W], ref_idx [B, K-1, N]."""
        fused, ref_idx = self.glfm(self.encode(images), coefficients, positions)
        return self.decoder(fused), ref_idx


def build_models(cfg, num_classes):
    m = cfg["model"]
    return Generator(m), Discriminator(num_classes, m["dis_nf"], m["dis_blocks"])


def sample_fusion_inputs(batch, k, grid, n_positions, gen=None):
    """Random coefficients (rows sum to 1, as LoFGAN) and distinct feature-grid positions."""
    coeffs = torch.rand(batch, k, generator=gen)
    coeffs = coeffs / coeffs.sum(dim=1, keepdim=True)
    positions = torch.stack([torch.randperm(grid * grid, generator=gen)[:n_positions] for _ in range(batch)])
    return coeffs, positions


@torch.no_grad()
def generate(gen_model, shots, n, rng, mcfg, batch=16):
    """n images from one class's shot pool [S, 3, H, W] (float, [-1,1]); every image uses K random
    shots (a random base) and random fusion inputs."""
    gen_model.eval()
    k, out = mcfg["k_shot"], []
    while sum(o.shape[0] for o in out) < n:
        b = min(batch, n - sum(o.shape[0] for o in out))
        idx = torch.stack([torch.randperm(shots.shape[0], generator=rng)[:k] if shots.shape[0] >= k
                           else torch.randint(shots.shape[0], (k,), generator=rng) for _ in range(b)])
        c, p = sample_fusion_inputs(b, k, mcfg["grid"], mcfg["n_positions"], rng)
        out.append(gen_model(shots[idx], c, p)[0])
    return torch.cat(out)
