"""Small building blocks shared by the generator and the critic (LoFGAN/FUNIT style)."""
import torch.nn as nn
from torch.nn.utils import spectral_norm


def _act(name):
    if name == "lrelu":
        return nn.LeakyReLU(0.2)
    if name == "relu":
        return nn.ReLU()
    if name == "tanh":
        return nn.Tanh()
    return nn.Identity()


class Conv2dBlock(nn.Module):
    """pad -> conv -> norm -> activation. norm: bn | sn | none."""

    def __init__(self, cin, cout, k, stride=1, padding=0, norm="none", act="none", pad_type="reflect"):
        super().__init__()
        self.pad = nn.ReflectionPad2d(padding) if pad_type == "reflect" else nn.ZeroPad2d(padding)
        conv = nn.Conv2d(cin, cout, k, stride, bias=norm != "bn")
        self.conv = spectral_norm(conv) if norm == "sn" else conv
        self.norm = nn.BatchNorm2d(cout) if norm == "bn" else nn.Identity()
        self.act = _act(act)

    def forward(self, x):
        return self.act(self.norm(self.conv(self.pad(x))))


class ActFirstResBlock(nn.Module):
    """Pre-activation residual block used by the critic."""

    def __init__(self, cin, cout, norm="sn"):
        super().__init__()
        mid = min(cin, cout)
        self.conv0 = Conv2dBlock(cin, mid, 3, 1, 1, norm=norm)
        self.conv1 = Conv2dBlock(mid, cout, 3, 1, 1, norm=norm)
        self.act = nn.LeakyReLU(0.2)
        self.shortcut = None
        if cin != cout:
            conv = nn.Conv2d(cin, cout, 1, bias=False)
            self.shortcut = spectral_norm(conv) if norm == "sn" else conv

    def forward(self, x):
        s = x if self.shortcut is None else self.shortcut(x)
        return s + self.conv1(self.act(self.conv0(self.act(x))))
