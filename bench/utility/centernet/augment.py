"""Classic augmentation of full scenes with their boxes: horizontal flip, random scale (zoom in
with a random crop, or zoom out onto a grey canvas) and colour jitter. Operates on a float batch in
[0, 1]; randomness from the caller's torch.Generator."""
import torch
import torch.nn.functional as F


def _u(gen, lo, hi):
    return lo + (hi - lo) * torch.rand((), generator=gen).item()


def flip(img, boxes):
    w = img.shape[-1]
    return img.flip(-1), torch.stack([w - boxes[:, 2], boxes[:, 1], w - boxes[:, 0], boxes[:, 3]], dim=1)


def rescale(img, boxes, labels, s, gen, min_side=2.0):
    """Scale by s about a random point, keep the input size; boxes clipped, tiny ones dropped."""
    _, h, w = img.shape
    nh, nw = max(1, round(h * s)), max(1, round(w * s))
    big = F.interpolate(img.unsqueeze(0), size=(nh, nw), mode="bilinear", align_corners=False)[0]
    canvas = torch.full_like(img, 0.5)
    # top-left of the scaled image on the canvas (negative: cropped)
    ox = round(_u(gen, min(0, w - nw), max(0, w - nw)))
    oy = round(_u(gen, min(0, h - nh), max(0, h - nh)))
    sx0, sy0, dx0, dy0 = max(0, -ox), max(0, -oy), max(0, ox), max(0, oy)
    cw, ch = min(nw - sx0, w - dx0), min(nh - sy0, h - dy0)
    canvas[:, dy0:dy0 + ch, dx0:dx0 + cw] = big[:, sy0:sy0 + ch, sx0:sx0 + cw]
    b = boxes * s + torch.tensor([ox, oy, ox, oy], dtype=boxes.dtype)
    b[:, 0::2] = b[:, 0::2].clamp(0, w)
    b[:, 1::2] = b[:, 1::2].clamp(0, h)
    keep = ((b[:, 2] - b[:, 0]) >= min_side) & ((b[:, 3] - b[:, 1]) >= min_side)
    return canvas, b[keep], labels[keep]


def colour(img, gen, brightness, contrast, saturation):
    img = img * _u(gen, 1 - brightness, 1 + brightness)
    m = img.mean()
    img = (img - m) * _u(gen, 1 - contrast, 1 + contrast) + m
    grey = img.mean(dim=0, keepdim=True)
    img = (img - grey) * _u(gen, 1 - saturation, 1 + saturation) + grey
    return img.clamp(0, 1)


def augment(img, boxes, labels, acfg, gen):
    """One image [3, H, W] in [0, 1] with boxes [M, 4] and labels [M]."""
    if torch.rand((), generator=gen).item() < acfg["flip"]:
        img, boxes = flip(img, boxes)
    img, boxes, labels = rescale(img, boxes, labels, _u(gen, *acfg["scale"]), gen)
    return colour(img, gen, acfg["brightness"], acfg["contrast"], acfg["saturation"]), boxes, labels
