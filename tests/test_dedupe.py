from storyline.dedupe import (
    MinHasher,
    NearDuplicateIndex,
    canonical_url,
    content_hash,
    jaccard_estimate,
    outlet_from_url,
)


def test_canonical_url_drops_tracking_fragment_amp_and_www():
    a = canonical_url("HTTP://www.Example.com/world/story/amp/?utm_source=rss&b=2&a=1&fbclid=x#top")
    b = canonical_url("https://example.com/world/story?a=1&b=2")
    assert a == b == "https://example.com/world/story?a=1&b=2"
    assert canonical_url("https://amp.example.com/x.amp.html") == "https://example.com/x.html"
    assert canonical_url("https://example.com:443/a/") == "https://example.com/a"


def test_canonical_url_rejects_non_http():
    assert canonical_url("mailto:someone@example.com") is None
    assert canonical_url("not a url") is None
    assert canonical_url(None) is None


def test_content_hash_ignores_markup_case_and_spacing():
    assert content_hash("Title", "Some  text, here.") == content_hash("TITLE", "some text here")
    assert content_hash("Title", "Some text") != content_hash("Title", "Other text")


def test_minhash_is_stable_and_separates():
    h1, h2 = MinHasher(), MinHasher()
    text = "officials in the capital announced new measures against the listed states " * 3
    assert (h1.signature(text) == h2.signature(text)).all()
    other = "a flood destroyed two dams and swept whole districts of the coastal city into the sea"
    assert jaccard_estimate(h1.signature(text), h1.signature(other)) < 0.2


def test_near_duplicate_index_finds_lightly_edited_copy():
    hasher = MinHasher()
    index = NearDuplicateIndex(hasher, threshold=0.7)
    original = (
        "The two governments agreed on Friday to coordinate their responses to what they call "
        "unfriendly states, including visa rules, payment restrictions and limits on diplomats. "
        "Officials said a joint working group would meet every quarter to align the lists."
    )
    index.add(1, hasher.signature(original))
    index.add(2, hasher.signature("An unrelated report about a football match in the rain."))
    edited = original.replace("on Friday", "on Friday evening")
    hit = index.query(hasher.signature(edited))
    assert hit is not None and hit[0] == 1
    assert index.query(hasher.signature("Completely different words about weather.")) is None


def test_outlet_from_url():
    assert outlet_from_url("https://www.bbc.co.uk/news/x") == "bbc.co.uk"
    assert outlet_from_url("http://web.archive.org/web/2015/http://news.example.org/a") == (
        "news.example.org"
    )
