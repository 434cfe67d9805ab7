import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

TINY = {
    "seed": 0,
    "data": {"image_size": 16, "margin": 0.25, "min_box": 4, "test_fraction": 0.25},
    "model": {"widths": [8, 8, 16, 16, 16], "strides": [2, 2, 1, 1], "decoder": [16, 16],
              "dis_nf": 8, "dis_blocks": 1, "heads": 4, "k_shot": 3},
    "train": {"batch_size": 2, "max_iter": 10, "log_every": 5, "sample_every": 5, "ckpt_every": 5},
}


@pytest.fixture
def tiny_cfg():
    pytest.importorskip("torch")
    from mvsa_gan.config import _merge, finalize

    return finalize(_merge(TINY, {}))


def _xml(filename, path, boxes, w, h):
    objs = "".join(
        f"<object><name>{n}</name><bndbox><xmin>{a}</xmin><ymin>{b}</ymin><xmax>{c}</xmax><ymax>{d}</ymax>"
        f"</bndbox></object>" for n, a, b, c, d in boxes)
    return (f"<annotation><folder>images</folder><filename>{filename}</filename><path>{path}</path>"
            f"<size><width>{w}</width><height>{h}</height><depth>3</depth></size>{objs}</annotation>")


@pytest.fixture(scope="session")
def tiny_voc(tmp_path_factory):
    """A CPLID-shaped VOC folder: extension-less <filename>, bogus <path>, one image's boxes split
    over two label folders, plus a PNG set in a second sub-dataset. Three classes of coloured shapes."""
    np = pytest.importorskip("numpy")
    from PIL import Image, ImageDraw

    root = tmp_path_factory.mktemp("voc")
    rng = np.random.RandomState(0)
    colours = {"crack": (200, 40, 40), "nest": (40, 160, 40), "cap": (40, 40, 200)}
    for sub, ext in (("setA", "jpg"), ("setB", "png")):
        for d in ("images", "labels/a", "labels/b"):
            (root / sub / d).mkdir(parents=True)
        for i in range(6):
            img = Image.fromarray((rng.rand(48, 48, 3) * 60 + 100).astype("uint8"))
            dr = ImageDraw.Draw(img)
            boxes = []
            for j, (name, col) in enumerate(colours.items()):
                x, y = 4 + 14 * j, 4 + rng.randint(0, 24)
                dr.ellipse([x, y, x + 12, y + 12], fill=col)
                boxes.append((name, x, y, x + 12, y + 12))
            stem = f"{sub[-1]}{i:03d}"
            img.save(root / sub / "images" / f"{stem}.{ext}")
            bogus = f"/media/someone/数据/{stem}.{ext}"
            (root / sub / "labels/a" / f"{stem}.xml").write_text(_xml(stem, bogus, boxes[:1], 48, 48), "utf8")
            (root / sub / "labels/b" / f"{stem}.xml").write_text(_xml(stem, bogus, boxes[1:], 48, 48), "utf8")
    return str(root)
