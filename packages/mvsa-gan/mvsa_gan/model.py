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
        image, fusion = self.generate_with_fusion(images, coefficients, positions)
        return image, fusion["ref_idx"]

    def generate_with_fusion(self, images, coefficients, positions):
        """-> image, {ref_idx, tau, b}: what the reconstruction loss needs to rebuild its target."""
        fused, fusion = self.glfm.fuse(self.encode(images), coefficients, positions)
        return self.decoder(fused), fusion


def build_models(cfg, num_classes):
    m = cfg["model"]
    return Generator(m), Discriminator(num_classes, m["dis_nf"], m["dis_blocks"])


def sample_fusion_inputs(batch, k, grid, n_positions, gen=None):
    """Random coefficients (rows sum to 1, as LoFGAN) and distinct feature-grid positions."""
    coeffs = torch.rand(batch, k, generator=gen)
    coeffs = coeffs / coeffs.sum(dim=1, keepdim=True)
    positions = torch.stack([torch.randperm(grid * grid, generator=gen)[:n_positions] for _ in range(batch)])
    return coeffs, positions


def sample_episodes(shots, n, rng, mcfg, batch=16):
    """Yield (images [b, K, 3, H, W], coefficients, positions) covering n samples: every sample
    uses K random shots of the pool [S, 3, H, W] (a random base) and random fusion inputs."""
    k, done = mcfg["k_shot"], 0
    while done < n:
        b = min(batch, n - done)
        idx = torch.stack([torch.randperm(shots.shape[0], generator=rng)[:k] if shots.shape[0] >= k
                           else torch.randint(shots.shape[0], (k,), generator=rng) for _ in range(b)])
        c, p = sample_fusion_inputs(b, k, mcfg["grid"], mcfg["n_positions"], rng)
        done += b
        yield shots[idx], c, p


@torch.no_grad()
def generate(gen_model, shots, n, rng, mcfg, batch=16):
    """n images from one class's shot pool [S, 3, H, W] (float, [-1,1])."""
    gen_model.eval()
    return torch.cat([gen_model(x, c, p)[0] for x, c, p in sample_episodes(shots, n, rng, mcfg, batch)])
