"""Losses that need more than one line: LoFGAN's local reconstruction and the gradient penalty.

Reconstruction (LoFGAN): the fusion that the generator applied to features at the fused positions
is applied to the real shots themselves, at the pixel nearest each fused grid position, and the
generated image must show that mix at those pixels. Average-pooling to the grid instead would ask
the generator for blurred cell means, which is not what the fused feature encodes.
"""
import torch
import torch.nn.functional as F

from .networks.glfm import fuse_selected, gather_cols


def grid_pixels(images, grid):
    """Nearest pixel of every feature-grid cell: [..., 3, H, W] -> [..., 3, grid*grid]."""
    lead = images.shape[:-3]
    px = F.interpolate(images.reshape(-1, *images.shape[-3:]), size=(grid, grid), mode="nearest")
    return px.reshape(*lead, images.shape[-3], grid * grid)


def reconstruction_target(images, fusion, coefficients, positions, grid):
    """The fusion applied to the real shots at the fused positions. images [B, K, 3, H, W] base
    first; fusion = the generator's {ref_idx [B,K-1,N], tau [B] | None, b [B,K] | None}
    -> [B, 3, N].

    Local part: a_base * base + sum_i a_i * ref_i at the matched reference pixels. Global part
    (when the model has one): each shot's own pixel at the position stands in for G_i (the
    Transformer has no image-space counterpart), mixed as (1 - tau) * local + sum_i b_i * shot_i and
    renormalised by (1 - tau) + sum_i b_i so the target stays an image (the decoder's BatchNorm
    absorbs the feature-space scale). tau and b are treated as data here: the generator must not
    lower its loss by moving its own target."""
    k = images.shape[1]
    px = grid_pixels(images, grid)                                            # [B, K, 3, P]
    local = fuse_selected(gather_cols(px[:, 0], positions), gather_cols(px[:, 1:], fusion["ref_idx"]),
                          coefficients)                                       # [B, 3, N]
    if fusion.get("tau") is None:
        return local
    tau, b = fusion["tau"].detach(), fusion["b"].detach()
    shots = gather_cols(px, positions.unsqueeze(1).expand(-1, k, -1))         # [B, K, 3, N]
    mixed = (1 - tau).reshape(-1, 1, 1) * local + (b.reshape(*b.shape, 1, 1) * shots).sum(dim=1)
    return mixed / ((1 - tau) + b.sum(dim=1)).reshape(-1, 1, 1)


def reconstruction_loss(fake, target, positions, grid):
    """L1 between the generated image's nearest pixels at the fused positions and the target."""
    return F.l1_loss(gather_cols(grid_pixels(fake, grid), positions), target)


def class_gradient_penalty(class_logits, labels, real):
    """R1 penalty on the true-class logit (LoFGAN): |d logit_y / d x|^2 per image, averaged."""
    logit = class_logits.gather(1, labels.unsqueeze(1)).sum()
    grad, = torch.autograd.grad(logit, real, create_graph=True)
    return grad.pow(2).flatten(1).sum(1).mean()
