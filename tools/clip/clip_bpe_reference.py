#!/usr/bin/python3
"""An independent implementation of CLIP's byte-level BPE (Radford et al. 2021; Sennrich et al. 2016),
written from the algorithm with the standard library only, that produces the golden token ids the
Java `clip-bpe` tokenizer (Hugging Face tokenizers through DJL) is tested against.

It reads the merges file itself (not the converted tokenizer.json), so the golden ids check the
converter and the library together. Usage:

    python3 tools/clip/clip_bpe_reference.py MERGES_FILE GOLDEN_JSON [--merges N] [--context-length 77]

The steps, each as CLIP defines it:
1. clean-up: Unicode NFC, every run of white space to one space, trimmed, lower case (character by
   character, as Hugging Face's Lowercase normalizer; Python's str.lower would give a final sigma);
2. pre-tokens: CLIP's pattern, tried left to right at each position, first alternative wins:
   <|startoftext|> | <|endoftext|> | 's 't 're 've 'm 'll 'd | letters+ | one number | other+
   where letters are Unicode categories L*, numbers N*, white space Unicode's White_Space set;
3. each pre-token's UTF-8 bytes become GPT-2's byte symbols, "</w>" joins the last symbol;
4. BPE: while some adjacent pair is a known merge, take the pair of lowest rank and merge all of
   its non-overlapping occurrences from left to right;
5. ids: symbol -> id in CLIP's vocabulary order (bytes, bytes+"</w>", merges, the two specials);
6. a row: <|startoftext|>, the first L-2 text ids, <|endoftext|>, then 0 up to the context length L.
"""
import argparse
import gzip
import json
import unicodedata

# Unicode's White_Space property (PropList.txt): what \s means in the tokenizers library's regex
WHITE_SPACE = set(map(chr, [*range(0x09, 0x0E), 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
                            0x2028, 0x2029, 0x202F, 0x205F, 0x3000]))
SPECIALS = ["<|startoftext|>", "<|endoftext|>"]
CONTRACTIONS = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d"]
SUFFIX = "</w>"


def is_letter(c):
    return unicodedata.category(c).startswith("L")


def is_number(c):
    return unicodedata.category(c).startswith("N")


def clean(text):
    text = unicodedata.normalize("NFC", text)
    out, in_space = [], False
    for c in text:
        if c in WHITE_SPACE:
            if not in_space:
                out.append(" ")
            in_space = True
        else:
            out.append(c)
            in_space = False
    return "".join(c.lower() for c in "".join(out).strip(" "))


def pre_tokens(text):
    """CLIP's pattern as a scanner: at each position the first alternative that matches wins."""
    i, found = 0, []
    while i < len(text):
        c = text[i]
        fixed = next((s for s in SPECIALS + CONTRACTIONS if text.startswith(s, i)), None)
        if fixed is not None:
            j = i + len(fixed)
        elif is_letter(c):
            j = i + 1
            while j < len(text) and is_letter(text[j]):
                j += 1
        elif is_number(c):
            j = i + 1
        elif c not in WHITE_SPACE:
            j = i + 1
            while j < len(text) and not (text[j] in WHITE_SPACE or is_letter(text[j]) or is_number(text[j])):
                j += 1
        else:
            i += 1
            continue
        found.append(text[i:j])
        i = j
    return found


def byte_symbols():
    """Byte value -> symbol, and the symbols in vocabulary order (printable bytes first)."""
    keep = [*range(0x21, 0x7F), *range(0xA1, 0xAD), *range(0xAE, 0x100)]
    rest = [b for b in range(256) if b not in keep]
    order = keep + rest
    symbol = {b: chr(b) for b in keep}
    symbol.update({b: chr(0x100 + k) for k, b in enumerate(rest)})
    return symbol, [symbol[b] for b in order]


class ClipBpe:
    def __init__(self, merges):
        self.byte_symbol, alphabet = byte_symbols()
        self.rank = {pair: r for r, pair in enumerate(merges)}
        tokens = alphabet + [s + SUFFIX for s in alphabet] + [a + b for a, b in merges] + SPECIALS
        self.id = {t: i for i, t in enumerate(tokens)}
        self.size = len(tokens)
        self.start, self.end = self.id[SPECIALS[0]], self.id[SPECIALS[1]]

    def bpe(self, word):
        symbols = [self.byte_symbol[b] for b in word.encode("utf-8")]
        symbols[-1] += SUFFIX
        while len(symbols) > 1:
            ranked = [(self.rank[p], p) for p in zip(symbols, symbols[1:]) if p in self.rank]
            if not ranked:
                break
            best = min(ranked)[1]
            merged, k = [], 0
            while k < len(symbols):
                if k + 1 < len(symbols) and (symbols[k], symbols[k + 1]) == best:
                    merged.append(symbols[k] + symbols[k + 1])
                    k += 2
                else:
                    merged.append(symbols[k])
                    k += 1
            symbols = merged
        return symbols

    def text_ids(self, caption):
        ids = []
        for piece in pre_tokens(clean(caption)):
            ids += [self.id[piece]] if piece in SPECIALS else [self.id[s] for s in self.bpe(piece)]
        return ids

    def row(self, caption, context_length):
        ids = [self.start] + self.text_ids(caption)[:context_length - 2] + [self.end]
        return ids + [0] * (context_length - len(ids))


def read_merges(path, count):
    raw = open(path, "rb").read()
    text = (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("utf-8")
    pairs = [tuple(line.split()) for line in text.split("\n")[1:] if line.strip()]
    return pairs[:count] if count else pairs[:49152 - 256 - 2]


CAPTIONS = [
    "a photo of a cat",
    "Two cars are running on the street.",
    "three red circles, left of a BLUE square!!",
    "It's 12:30 and we've got 1,000,000 reasons; don't stop, she'll say 'hi'",
    "  a  green\ttriangle\n\nleft of   a yellow star  ",
    "Cafe\u0301 nai\u0308ve fa\u00e7ade",
    "\u65e5\u672c\u8a9e\u306e\u30ad\u30e3\u30d7\u30b7\u30e7\u30f3",
    "an emoji \U0001F431 and \u00fcmlauts \u2014 x\u00b2 \u216b \uff21\uff22\uff23",
    "\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac \u03b3\u03c1\u03ac\u03bc\u03bc\u03b1\u03c4\u03b1",
    "the <|endoftext|> token inside a caption",
    "2024 was the year 3 dogs ran 42km (approximately)",
    "",
    "one two three " * 30 + "end",
    ("A long caption about a small red circle that sits left of a large blue square, above a "
     "green triangle, below a yellow star, next to four purple hexagons and seven orange "
     "diamonds arranged in a ring around the middle of the picture"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("merges_file")
    parser.add_argument("output")
    parser.add_argument("--merges", type=int, default=None)
    parser.add_argument("--context-length", type=int, default=77)
    args = parser.parse_args()
    bpe = ClipBpe(read_merges(args.merges_file, args.merges))
    cases = [{"caption": c, "text_ids": bpe.text_ids(c), "row": bpe.row(c, args.context_length)}
             for c in CAPTIONS]
    doc = {"generator": "tools/clip/clip_bpe_reference.py", "vocabulary_size": bpe.size,
           "start_id": bpe.start, "end_id": bpe.end, "context_length": args.context_length,
           "cases": cases}
    with open(args.output, "w", encoding="utf-8") as out:
        json.dump(doc, out, ensure_ascii=False, indent=1)
        out.write("\n")
    print(f"{args.output}: {len(cases)} captions, vocabulary {bpe.size}")


if __name__ == "__main__":
    main()
