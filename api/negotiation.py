"""Pick the result format of a SPARQL answer from the `format` parameter or the Accept header."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dutygraph.errors import DutygraphError

FORMATS_FILE = Path(__file__).with_name("result_formats.json")


@dataclass(frozen=True)
class ResultFormat:
    name: str
    media_type: str
    aliases: tuple[str, ...]

    def names(self) -> tuple[str, ...]:
        return (self.name, self.media_type, *self.aliases)


@cache
def formats_for(kind: str) -> tuple[ResultFormat, ...]:
    table = json.loads(FORMATS_FILE.read_text(encoding="utf-8"))
    return tuple(ResultFormat(row["name"], row["media_type"], tuple(row["aliases"])) for row in table[kind])


def parse_accept(header: str) -> list[tuple[str, float]]:
    """Media ranges with their q values; malformed q values count as 1."""
    ranges = []
    for part in header.split(","):
        fields = [field.strip() for field in part.split(";")]
        if not fields[0]:
            continue
        quality = 1.0
        for field in fields[1:]:
            name, _, value = field.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 1.0
        ranges.append((fields[0].lower(), quality))
    return ranges


def quality_of(offer: ResultFormat, ranges: list[tuple[str, float]]) -> float:
    """q of the most specific range that matches the offer (exact, then type/*, then */*)."""
    best_rank, best_quality = -1, 0.0
    for media_range, quality in ranges:
        if media_range in (offer.media_type, *offer.aliases):
            rank = 2
        # A type wildcard (text/*) asks for what is sent, the offer's own media type, not for one of
        # the names clients also use for it (JSON is not text because some call it text/javascript).
        elif media_range == offer.media_type.split("/")[0] + "/*":
            rank = 1
        elif media_range == "*/*":
            rank = 0
        else:
            continue
        if rank > best_rank or (rank == best_rank and quality > best_quality):
            best_rank, best_quality = rank, quality
    return best_quality


def choose_format(kind: str, accept: str | None, format_param: str | None = None) -> ResultFormat:
    offers = formats_for(kind)
    if format_param:
        wanted = format_param.strip().lower()
        for offer in offers:
            if wanted in offer.names():
                return offer
        raise DutygraphError("DG-A004", "sparql", f"format={format_param!r}; use one of {[o.name for o in offers]}")
    if not accept or not accept.strip():
        return offers[0]
    ranges = parse_accept(accept)
    scored = [(quality_of(offer, ranges), -position, offer) for position, offer in enumerate(offers)]
    quality, _, offer = max(scored, key=lambda item: item[:2])
    if quality <= 0:
        raise DutygraphError("DG-A004", "sparql", f"Accept: {accept}; available: {[o.media_type for o in offers]}")
    return offer
