import os

import numpy as np
import torch
from PIL import Image


def set_threads(n=None):
    torch.set_num_threads(int(n) if n else (os.cpu_count() or 1))


def to_uint8(x):
    """float [-1,1] [N,3,H,W] -> uint8 [N,H,W,3]"""
    return ((x.detach().clamp(-1, 1) + 1) * 127.5).round().byte().permute(0, 2, 3, 1).cpu().numpy()


def save_grid(rows, path):
    """rows: list of [N,3,H,W] tensors of equal N -> one PNG, one tensor per column."""
    cols = [to_uint8(r) for r in rows]
    n, h, w = cols[0].shape[:3]
    grid = np.full((n * (h + 2), len(cols) * (w + 2), 3), 255, np.uint8)
    for j, c in enumerate(cols):
        for i in range(n):
            grid[i * (h + 2):i * (h + 2) + h, j * (w + 2):j * (w + 2) + w] = c[i]
    Image.fromarray(grid).save(path)
