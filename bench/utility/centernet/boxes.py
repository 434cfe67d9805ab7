"""Boxes <-> CenterNet targets. A box (x1, y1, x2, y2, in input pixels) becomes a Gaussian peak of
its class at the cell holding its centre, the box size in cells at that cell, and the centre's
sub-cell offset. decode() inverts it: 3x3 max-pool peaks (CenterNet's NMS), top-k, then boxes."""
import math

import torch
import torch.nn.functional as F

from .model import STRIDE


def gaussian_radius(h, w, min_overlap=0.7):
    """CenterNet's radius: the largest corner shift that keeps IoU >= min_overlap (three cases)."""
    a1, b1, c1 = 1, h + w, w * h * (1 - min_overlap) / (1 + min_overlap)
    r1 = (b1 + math.sqrt(b1 ** 2 - 4 * a1 * c1)) / 2
    a2, b2, c2 = 4, 2 * (h + w), (1 - min_overlap) * w * h
    r2 = (b2 + math.sqrt(b2 ** 2 - 4 * a2 * c2)) / 2
    a3, b3, c3 = 4 * min_overlap, -2 * min_overlap * (h + w), (min_overlap - 1) * w * h
    r3 = (b3 + math.sqrt(b3 ** 2 - 4 * a3 * c3)) / 2
    return min(r1, r2, r3)


def encode(boxes, labels, num_classes, out_h, out_w, min_overlap=0.7):
    """boxes float [M, 4] in input pixels, labels int [M] -> targets for one image:
    heatmap [C, h, w], size [2, h, w], offset [2, h, w], mask [h, w] (1 at object centres)."""
    heat = torch.zeros(num_classes, out_h, out_w)
    size = torch.zeros(2, out_h, out_w)
    offset = torch.zeros(2, out_h, out_w)
    mask = torch.zeros(out_h, out_w)
    ys, xs = torch.arange(out_h).reshape(-1, 1).float(), torch.arange(out_w).reshape(1, -1).float()
    for (x1, y1, x2, y2), c in zip(boxes.tolist(), labels.tolist()):
        w, h = (x2 - x1) / STRIDE, (y2 - y1) / STRIDE
        if w <= 0 or h <= 0:
            continue
        cx, cy = (x1 + x2) / 2 / STRIDE, (y1 + y2) / 2 / STRIDE
        ix, iy = min(int(cx), out_w - 1), min(int(cy), out_h - 1)
        sigma = (2 * max(0, int(gaussian_radius(math.ceil(h), math.ceil(w), min_overlap))) + 1) / 6
        g = torch.exp(-((xs - ix) ** 2 + (ys - iy) ** 2) / (2 * sigma ** 2))
        heat[c] = torch.maximum(heat[c], g)
        size[:, iy, ix] = torch.tensor([w, h])
        offset[:, iy, ix] = torch.tensor([cx - ix, cy - iy])
        mask[iy, ix] = 1
    return heat, size, offset, mask


def decode(heat_logits, size, offset, top_k=100):
    """Head outputs of a batch -> boxes [B, K, 4] (input pixels), scores [B, K], classes [B, K],
    sorted by score. Traceable (ONNX): max-pool, TopK and gathers only."""
    b, c, h, w = heat_logits.shape
    heat = torch.sigmoid(heat_logits)
    peaks = heat * (F.max_pool2d(heat, 3, 1, 1) == heat).to(heat.dtype)
    scores, idx = peaks.reshape(b, -1).topk(top_k, dim=1)
    classes = torch.div(idx, h * w, rounding_mode="floor")
    cell = idx - classes * (h * w)
    iy = torch.div(cell, w, rounding_mode="floor")
    ix = cell - iy * w
    size, offset = size.reshape(b, 2, h * w), offset.reshape(b, 2, h * w)
    bw, bh = size[:, 0].gather(1, cell), size[:, 1].gather(1, cell)
    cx = ix.to(heat.dtype) + offset[:, 0].gather(1, cell)
    cy = iy.to(heat.dtype) + offset[:, 1].gather(1, cell)
    boxes = torch.stack([cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2], dim=2) * STRIDE
    return boxes, scores, classes


def focal_loss(logits, target):
    """CenterNet's penalty-reduced focal loss (alpha 2, beta 4), normalised by the object count."""
    p = torch.sigmoid(logits).clamp(1e-4, 1 - 1e-4)
    pos = target.eq(1).float()
    pos_loss = -torch.log(p) * (1 - p) ** 2 * pos
    neg_loss = -torch.log(1 - p) * p ** 2 * (1 - target) ** 4 * (1 - pos)
    return (pos_loss.sum() + neg_loss.sum()) / pos.sum().clamp(min=1)


def regression_loss(pred, target, mask):
    """L1 at object centres only. pred/target [B, 2, h, w], mask [B, h, w]."""
    m = mask.unsqueeze(1)
    return (F.l1_loss(pred * m, target * m, reduction="sum")) / mask.sum().clamp(min=1)
