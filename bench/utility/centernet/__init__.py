"""CenterNet-style detector (Zhou et al., Objects as Points) for the detector-utility benchmark."""
