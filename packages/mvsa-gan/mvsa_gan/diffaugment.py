"""DiffAugment (Zhao et al. 2020): differentiable colour / translation / cutout applied to every
image the critic sees during training, real and fake alike, so that with a few hundred images per
class the critic cannot win by memorising them. Training only: the critic module itself never
augments, so the exported critic scores the image it is given. Randomness comes from the caller's
torch.Generator (the trainer's checkpointed one), so resumed runs repeat exactly.
Images are in [-1, 1]."""
import torch
import torch.nn.functional as F


def _u(x, gen):
    return torch.rand(x.shape[0], 1, 1, 1, generator=gen)


def colour(x, gen):
    x = x + (_u(x, gen) - 0.5)                                       # brightness
    m = x.mean(dim=1, keepdim=True)
    x = (x - m) * (_u(x, gen) * 2) + m                               # saturation
    m = x.mean(dim=(1, 2, 3), keepdim=True)
    return (x - m) * (_u(x, gen) + 0.5) + m                          # contrast


def translation(x, gen, ratio=0.125):
    """Shift by up to ratio * size pixels, zero (mid-grey) fill."""
    b, _, h, w = x.shape
    sh, sw = int(h * ratio + 0.5), int(w * ratio + 0.5)
    dy = torch.randint(-sh, sh + 1, (b, 1, 1), generator=gen)
    dx = torch.randint(-sw, sw + 1, (b, 1, 1), generator=gen)
    ys = (torch.arange(h).reshape(1, h, 1) + dy + 1).clamp(0, h + 1)
    xs = (torch.arange(w).reshape(1, 1, w) + dx + 1).clamp(0, w + 1)
    padded = F.pad(x, (1, 1, 1, 1)).permute(0, 2, 3, 1)              # [B, H+2, W+2, C]
    bi = torch.arange(b).reshape(b, 1, 1)
    return padded[bi, ys, xs].permute(0, 3, 1, 2)


def cutout(x, gen, ratio=0.5):
    """Zero one square of side ratio * size at a random centre."""
    b, _, h, w = x.shape
    ch, cw = int(h * ratio + 0.5), int(w * ratio + 0.5)
    cy = torch.randint(0, h + (1 - ch % 2), (b, 1, 1), generator=gen)
    cx = torch.randint(0, w + (1 - cw % 2), (b, 1, 1), generator=gen)
    ys = torch.arange(h).reshape(1, h, 1)
    xs = torch.arange(w).reshape(1, 1, w)
    inside = (ys >= cy - ch // 2) & (ys < cy - ch // 2 + ch) & (xs >= cx - cw // 2) & (xs < cx - cw // 2 + cw)
    return x * (~inside).unsqueeze(1).to(x.dtype)


POLICIES = {"color": colour, "colour": colour, "translation": translation, "cutout": cutout}


def diff_augment(x, policy, gen):
    """policy: comma-separated names, e.g. "color,translation,cutout"; empty -> x unchanged."""
    for name in [p for p in (policy or "").split(",") if p]:
        x = POLICIES[name](x, gen)
    return x
