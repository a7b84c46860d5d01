"""Catalogue search in plain words, with or without diacritics, tolerant of one typo.

Ranking is computed here, over an in-memory index of the procedures in force (NumPy arrays of
postings), so it is identical on SQLite and PostgreSQL by construction: the database only says
whether the catalogue changed, through ``CatalogState.generation``. This departs from the
FTS5 / pg_trgm plan on purpose: two engines never rank alike, and a province's catalogue
(thousands of procedures, not millions) fits in memory many times over.

Score of a procedure for a query (integers, higher first; ties: shorter name, then code):
- each query word found in the name: 30 (20 if only with one typo or as the prefix of the last
  word being typed); found only in the rest of the text (documents, result, field, agency,
  who can apply, legal basis): 10 (5 with a typo);
- each pair of consecutive query words standing together in the name: 20 — this is what puts
  "Đổi giấy phép lái xe" above "Cấp lại giấy phép lái xe" for "cấp đổi bằng lái xe";
- every query word found somewhere: 25;
- minus one per word of the name, so that among full matches the plain procedure comes first.
Colloquial words are rewritten first by the synonym table ("bằng lái" → "giấy phép lái xe").
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

import numpy as np
from django.utils import timezone
from rapidfuzz import process
from rapidfuzz.distance import OSA

from motcua.core.text import fold_words

from .models import CatalogState, ProcedureVersion, SearchSynonym

NAME_EXACT, NAME_FUZZY, BODY_EXACT, BODY_FUZZY = 30, 20, 10, 5
BIGRAM, ALL_WORDS = 20, 25
MIN_FUZZY_LEN = 4
CODE_QUERY_RE = re.compile(r"^\s*[0-9]+\.[0-9A-Za-z.]+\s*$")
_EMPTY = np.zeros(0, dtype=np.int32)


@dataclass(frozen=True)
class FeeFacts:
    kind: str
    amount: int | None
    online_amount: int | None
    rule: str


@dataclass(frozen=True)
class Entry:
    """A procedure in force as lists show it: enough for a result row without a query."""

    version_id: int
    procedure_id: int
    code: str
    name: str
    name_len: int
    field_slug: str
    field_name: str
    levels: tuple[str, ...]
    agency_kind_slug: str
    agency_kind_name: str
    online_mode: str
    processing_time: int
    processing_time_unit: str
    fees: tuple[FeeFacts, ...]
    popularity: int
    life_events: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: int


class SearchResult(Sequence):
    """Matches best first; Hits are made only for the part a page shows."""

    def __init__(self, entries: list[Entry], positions, scores):
        self._entries, self._positions, self._scores = entries, positions, scores

    def __len__(self):
        return len(self._positions)

    def __getitem__(self, item):
        if isinstance(item, slice):
            return [self._hit(i) for i in range(*item.indices(len(self)))]
        if item < 0:
            item += len(self)
        if not 0 <= item < len(self):
            raise IndexError(item)
        return self._hit(item)

    def _hit(self, i: int) -> Hit:
        return Hit(self._entries[int(self._positions[i])], int(self._scores[i]))

    def __eq__(self, other):
        if isinstance(other, (list, tuple, SearchResult)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None


@dataclass
class SearchIndex:
    generation: int
    day: dt.date
    entries: list[Entry] = field(default_factory=list)
    name_index: dict[str, np.ndarray] = field(default_factory=dict)
    body_index: dict[str, np.ndarray] = field(default_factory=dict)
    bigram_index: dict[str, np.ndarray] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)
    synonyms: list[tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
    by_code: dict[str, int] = field(default_factory=dict)
    name_len: np.ndarray = field(default_factory=lambda: _EMPTY)
    browse_order: np.ndarray = field(default_factory=lambda: _EMPTY)
    _fuzzy_cache: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _mask_cache: dict[tuple, np.ndarray] = field(default_factory=dict)

    # --- query side --------------------------------------------------------------------------
    def rewrite(self, words: list[str]) -> list[str]:
        """Apply the synonym table: the longest phrase first, left to right."""
        out: list[str] = []
        i = 0
        while i < len(words):
            for phrase, replacement in self.synonyms:
                if tuple(words[i:i + len(phrase)]) == phrase:
                    out.extend(replacement)
                    i += len(phrase)
                    break
            else:
                out.append(words[i])
                i += 1
        return out

    def variants(self, word: str, is_last: bool) -> tuple[str, ...]:
        """Vocabulary words one edit away (for words of 4+ letters), or that the last word
        is the beginning of; empty when the word itself is known."""
        key = f"{word}|{int(is_last)}"
        if key in self._fuzzy_cache:
            return self._fuzzy_cache[key]
        found: list[str] = []
        if word not in self.name_index and word not in self.body_index:
            if len(word) >= MIN_FUZZY_LEN:
                found = [
                    choice for choice, _score, _i in process.extract(
                        word, self.vocabulary, scorer=OSA.distance, score_cutoff=1, limit=None,
                    )
                    if len(choice) >= MIN_FUZZY_LEN
                ]
            if is_last and len(word) >= 2:
                start = bisect.bisect_left(self.vocabulary, word)
                for candidate in self.vocabulary[start:start + 50]:
                    if not candidate.startswith(word):
                        break
                    if candidate not in found:
                        found.append(candidate)
        if len(self._fuzzy_cache) > 10000:
            self._fuzzy_cache.clear()
        self._fuzzy_cache[key] = result = tuple(found)
        return result

    def search(self, query: str, *, field: str = "", level: str = "", agency: str = "",
               online: str = "", event: str = "") -> SearchResult:
        allowed = self._filter(field, level, agency, online, event)
        size = len(self.entries)
        if CODE_QUERY_RE.match(query or ""):
            position = self.by_code.get(query.strip())
            if position is not None and (allowed is None or allowed[position]):
                return SearchResult(self.entries, np.array([position]), np.array([1_000_000]))
        words = self.rewrite(fold_words(query or ""))
        if not words:
            order = self.browse_order
            if allowed is not None:
                order = order[allowed[order]]
            return SearchResult(self.entries, order, np.zeros(len(order), dtype=np.int32))

        scores = np.zeros(size, dtype=np.int32)
        matched = np.zeros(size, dtype=np.int16)
        unique_words = list(dict.fromkeys(words))
        for number, word in enumerate(unique_words):
            variants = self.variants(word, number == len(unique_words) - 1)
            # Each word counts once per procedure, at its best: written lowest first so the
            # better kind of match overwrites.
            best = np.zeros(size, dtype=np.int32)
            for variant in variants:
                best[self.body_index.get(variant, _EMPTY)] = BODY_FUZZY
            best[self.body_index.get(word, _EMPTY)] = BODY_EXACT
            for variant in variants:
                best[self.name_index.get(variant, _EMPTY)] = NAME_FUZZY
            best[self.name_index.get(word, _EMPTY)] = NAME_EXACT
            scores += best
            matched += best > 0
        for first, second in pairwise(words):
            scores[self.bigram_index.get(f"{first} {second}", _EMPTY)] += BIGRAM
        scores += ALL_WORDS * (matched == len(unique_words))
        scores -= self.name_len
        # A long query should not drown its answer in procedures sharing one common word:
        # keep those matching at least half of its words, when there are any.
        keep = matched >= max(1, (len(unique_words) + 1) // 2)
        if allowed is not None:
            keep &= allowed
        if not keep.any():
            keep = matched > 0
            if allowed is not None:
                keep &= allowed
        candidates = np.flatnonzero(keep)
        # Last key sorts first: score (high first), then shorter name, then code order.
        order = np.lexsort((candidates, self.name_len[candidates], -scores[candidates]))
        positions = candidates[order]
        return SearchResult(self.entries, positions, scores[positions])

    def _filter(self, field: str, level: str, agency: str, online: str, event: str
                ) -> np.ndarray | None:
        if not (field or level or agency or online or event):
            return None
        key = (field, level, agency, online, event)
        mask = self._mask_cache.get(key)
        if mask is None:
            mask = np.fromiter((
                (not field or e.field_slug == field)
                and (not level or level in e.levels)
                and (not agency or e.agency_kind_slug == agency)
                and (not online or e.online_mode == online)
                and (not event or event in e.life_events)
                for e in self.entries
            ), dtype=bool, count=len(self.entries))
            if len(self._mask_cache) > 1000:
                self._mask_cache.clear()
            self._mask_cache[key] = mask
        return mask


@lru_cache(maxsize=50_000)
def _words(text: str) -> tuple[str, ...]:
    # Document names and agency texts repeat across procedures: fold each once.
    return tuple(fold_words(text))


def build_index(generation: int, day: dt.date) -> SearchIndex:
    """Read the procedures in force with a few flat queries and index them."""
    from .models import Fee, RequiredDocument

    index = SearchIndex(generation=generation, day=day)
    rows = list(
        ProcedureVersion.objects.filter(ProcedureVersion.in_force_q(day))
        .order_by("procedure__code", "-effective_from")
        .values_list(
            "pk", "procedure_id", "procedure__code", "name", "field__slug", "field__name",
            "levels", "agency_name", "agency_kind__slug", "agency_kind__name", "online_mode",
            "procedure__popularity", "result_name", "subjects", "eligibility", "legal_basis",
            "processing_time", "processing_time_unit",
        )
    )
    version_ids = [row[0] for row in rows]
    fees: dict[int, list[FeeFacts]] = {}
    for version_id, kind, amount, online_amount, rule in Fee.objects.filter(
            version_id__in=version_ids).order_by("position").values_list(
            "version_id", "kind", "amount", "online_amount", "rule").iterator(2000):
        fees.setdefault(version_id, []).append(FeeFacts(kind, amount, online_amount, rule))
    documents: dict[int, list[str]] = {}
    for version_id, name in RequiredDocument.objects.filter(
            version_id__in=version_ids).values_list("version_id", "name").iterator(2000):
        documents.setdefault(version_id, []).append(name)
    events: dict[int, list[tuple[str, str]]] = {}
    through = ProcedureVersion.life_events.through
    for version_id, slug, name in through.objects.filter(
            procedureversion_id__in=version_ids).values_list(
            "procedureversion_id", "lifeevent__slug", "lifeevent__name").iterator(2000):
        events.setdefault(version_id, []).append((slug, name))

    name_lists: dict[str, list[int]] = {}
    body_lists: dict[str, list[int]] = {}
    bigram_lists: dict[str, list[int]] = {}
    name_lengths: list[int] = []
    seen_codes: set[str] = set()
    for (pk, procedure_id, code, name, field_slug, field_name, levels, agency_name,
         kind_slug, kind_name, online_mode, popularity, result_name, subjects, eligibility,
         legal_basis, processing_time, processing_time_unit) in rows:
        if code in seen_codes:  # overlapping versions: the latest start wins
            continue
        seen_codes.add(code)
        position = len(index.entries)
        name_words = _words(name)
        body_words: set[str] = set()
        for text in (field_name, agency_name, kind_name, result_name, subjects, eligibility,
                     *legal_basis, *documents.get(pk, ()), *(n for _s, n in events.get(pk, ()))):
            body_words.update(_words(text))
        body_words.difference_update(name_words)
        index.entries.append(Entry(
            version_id=pk, procedure_id=procedure_id, code=code, name=name,
            name_len=len(name_words), field_slug=field_slug, field_name=field_name,
            levels=tuple(levels), agency_kind_slug=kind_slug, agency_kind_name=kind_name,
            online_mode=online_mode, processing_time=processing_time,
            processing_time_unit=processing_time_unit, fees=tuple(fees.get(pk, ())),
            popularity=popularity, life_events=tuple(s for s, _n in events.get(pk, ())),
        ))
        name_lengths.append(len(name_words))
        index.by_code[code] = position
        for word in set(name_words):
            name_lists.setdefault(word, []).append(position)
        for word in body_words:
            body_lists.setdefault(word, []).append(position)
        for pair in {f"{a} {b}" for a, b in pairwise(name_words)}:
            bigram_lists.setdefault(pair, []).append(position)

    def arrays(lists):
        return {word: np.array(items, dtype=np.int32) for word, items in lists.items()}

    index.name_index, index.body_index = arrays(name_lists), arrays(body_lists)
    index.bigram_index = arrays(bigram_lists)
    index.vocabulary = sorted(set(name_lists) | set(body_lists))
    index.name_len = np.array(name_lengths, dtype=np.int32)
    index.browse_order = np.array(sorted(
        range(len(index.entries)),
        key=lambda p: (-index.entries[p].popularity, index.entries[p].name, index.entries[p].code),
    ), dtype=np.int32)
    synonyms = []
    for phrase, replacement in SearchSynonym.objects.values_list("phrase", "replacement"):
        phrase_words, replacement_words = tuple(fold_words(phrase)), tuple(
            fold_words(replacement))
        if phrase_words and replacement_words:
            synonyms.append((phrase_words, replacement_words))
    index.synonyms = sorted(synonyms, key=lambda item: -len(item[0]))
    return index


_lock = threading.Lock()
_current: SearchIndex | None = None


def current_generation() -> int:
    return CatalogState.objects.filter(pk=1).values_list("generation", flat=True).first() or 0


def get_index() -> SearchIndex:
    """The index of this process, rebuilt when the catalogue changed or the day turned."""
    global _current
    generation, day = current_generation(), timezone.localdate()
    index = _current
    if index is not None and index.generation == generation and index.day == day:
        return index
    with _lock:
        index = _current
        if index is None or index.generation != generation or index.day != day:
            index = _current = build_index(generation, day)
    return index


def procedure_search(query: str, **filters) -> SearchResult:
    return get_index().search(query, **filters)
