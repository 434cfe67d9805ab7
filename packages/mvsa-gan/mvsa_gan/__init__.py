"""MVSA-GAN: few-shot defect image generation with self-attention and global-local fusion."""

__version__ = "0.2.0"
