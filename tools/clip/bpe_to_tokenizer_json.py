#!/usr/bin/python3
"""Converts CLIP's BPE vocabulary (OpenAI's bpe_simple_vocab_16e6.txt.gz: a merges list) into a
Hugging Face tokenizer.json that the `clip-bpe` tokenizer (ai.djl.huggingface:tokenizers) loads.

Standard library only. Usage:

    python3 tools/clip/bpe_to_tokenizer_json.py bpe_simple_vocab_16e6.txt.gz tokenizer.json
    python3 tools/clip/bpe_to_tokenizer_json.py SAMPLE.txt OUT.json --merges 2000

The merges file (gzip or plain UTF-8) starts with a version line, then one merge "a b" per line in
rank order. As in OpenAI's clip/simple_tokenizer.py the vocabulary is, in id order: the 256 byte
symbols (GPT-2's byte-to-unicode alphabet), the same symbols with the end-of-word suffix "</w>",
one token per merge (its two parts joined), then <|startoftext|> and <|endoftext|>. With OpenAI's
file and the default 48,894 merges (49,152 - 256 - 2) that is 49,408 ids, the special ones 49406
and 49407. The text rules follow CLIP: NFC, whitespace runs to one space, lower case, CLIP's
pre-tokenizer regex, byte-level symbols, "</w>" at the end of each word. (OpenAI also runs ftfy and
html.unescape; Hugging Face's CLIP tokenizer and this file do not.)
"""
import argparse
import gzip
import json
import sys

# Radford et al. 2021 (CLIP), clip/simple_tokenizer.py: the pre-tokenizer pattern
CLIP_PATTERN = (r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d"
                r"|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+")
START, END = "<|startoftext|>", "<|endoftext|>"
END_OF_WORD = "</w>"
CLIP_MERGES = 49152 - 256 - 2


def byte_alphabet():
    """GPT-2's reversible byte-to-unicode map, in CLIP's vocabulary order: the printable bytes
    ('!'..'~', '¡'..'¬', '®'..'ÿ') stand for themselves, the 68 others get code points 256, 257, ..."""
    printable = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
                 + list(range(ord("®"), ord("ÿ") + 1)))
    symbols = [chr(b) for b in printable]
    extra = 0
    for b in range(256):
        if b not in printable:
            symbols.append(chr(256 + extra))
            extra += 1
    return symbols


def read_merges(path, count):
    raw = open(path, "rb").read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    lines = raw.decode("utf-8").split("\n")[1:]  # line 0 is the version header
    merges = [tuple(line.split()) for line in lines if line.strip()]
    if count is None:
        count = min(len(merges), CLIP_MERGES)
    if count > len(merges):
        sys.exit(f"{path} holds {len(merges)} merges, fewer than the {count} asked for")
    merges = merges[:count]
    for i, m in enumerate(merges):
        if len(m) != 2:
            sys.exit(f"{path}: merge {i + 1} is not two symbols: {' '.join(m)!r}")
    return merges


def vocabulary(merges):
    symbols = byte_alphabet()
    tokens = symbols + [s + END_OF_WORD for s in symbols]
    known = set(tokens)
    for i, (a, b) in enumerate(merges):
        if a not in known or b not in known:
            sys.exit(f"merge {i + 1} ({a} {b}) uses a symbol no earlier merge made: not a BPE merges list")
        tokens.append(a + b)
        known.add(a + b)
    tokens += [START, END]
    ids = {t: i for i, t in enumerate(tokens)}
    if len(ids) != len(tokens):
        sys.exit("two merges make the same token: not a BPE merges list")
    return ids, len(tokens)


def added(token, i):
    return {"id": i, "content": token, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": True, "special": True}


def special(token, i):
    return {"id": token, "ids": [i], "tokens": [token]}


def piece(name):
    """One item of the post-processor's template: a special token, or the sequence A or B."""
    kind = "Sequence" if name in ("A", "B") else "SpecialToken"
    return {kind: {"id": name, "type_id": 0}}


def tokenizer_json(merges):
    ids, size = vocabulary(merges)
    start, end = size - 2, size - 1
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [added(START, start), added(END, end)],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFC"},
            {"type": "Replace", "pattern": {"Regex": r"\s+"}, "content": " "},
            {"type": "Lowercase"}]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": CLIP_PATTERN}, "behavior": "Removed", "invert": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [piece(START), piece("A"), piece(END)],
            "pair": [piece(START), piece("A"), piece(END), piece("B"), piece(END)],
            "special_tokens": {START: special(START, start), END: special(END, end)}},
        "decoder": None,
        "model": {
            "type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
            "end_of_word_suffix": END_OF_WORD, "fuse_unk": False, "byte_fallback": False,
            "vocab": ids, "merges": [f"{a} {b}" for a, b in merges]},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("merges_file", help="bpe_simple_vocab_16e6.txt.gz or a sample in its format")
    parser.add_argument("output", help="the tokenizer.json to write")
    parser.add_argument("--merges", type=int, default=None,
                        help=f"how many merges to use (default: all, at most CLIP's {CLIP_MERGES})")
    args = parser.parse_args()
    merges = read_merges(args.merges_file, args.merges)
    doc = tokenizer_json(merges)
    with open(args.output, "w", encoding="utf-8") as out:
        json.dump(doc, out, ensure_ascii=False, indent=1)
        out.write("\n")
    size = len(merges) + 2 * 256 + 2
    print(f"{args.output}: {len(merges)} merges, {size} ids (<|startoftext|> {size - 2}, <|endoftext|> {size - 1})")


if __name__ == "__main__":
    main()
