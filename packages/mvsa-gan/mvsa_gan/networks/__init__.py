from .cot import CoTBlock
from .encoder import SAEncoder, ConvEncoder, build_encoder
from .glfm import LocalFusion, GlobalTransformer, GLFM
from .decoder import Decoder
from .discriminator import Discriminator

__all__ = ["CoTBlock", "SAEncoder", "ConvEncoder", "build_encoder", "LocalFusion",
           "GlobalTransformer", "GLFM", "Decoder", "Discriminator"]
