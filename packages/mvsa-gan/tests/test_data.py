import pytest

pytest.importorskip("numpy")

from mvsa_gan.data import load_pool, scan_voc  # noqa: E402


def test_scan_merges_split_annotations(tiny_voc):
    ann = scan_voc(tiny_voc)
    assert len(ann) == 12  # 6 jpg + 6 png, extension-less <filename>, bogus <path>
    for boxes in ann.values():
        assert sorted(b[0] for b in boxes) == ["cap", "crack", "nest"]  # merged from two XML files


def test_pool_crops_and_split(tiny_voc):
    pool = load_pool(tiny_voc, size=16, margin=0.25, min_box=4, test_fraction=0.25)
    assert pool.images.shape == (36, 3, 16, 16)
    assert pool.classes == ["cap", "crack", "nest"]
    counts = pool.counts()
    assert all(v["train"] > 0 and v["test"] > 0 for v in counts.values()), counts
    # the split is by image: no image contributes to both sides
    tr = {pool.sources[i] for i in range(len(pool)) if not pool.is_test[i]}
    te = {pool.sources[i] for i in range(len(pool)) if pool.is_test[i]}
    assert not tr & te
    # crops are centred on the object: the centre pixel has the class colour
    c = pool.images[pool.indices("crack")][:, :, 8, 8].mean(0)
    assert c[0] > c[1] + 50 and c[0] > c[2] + 50
