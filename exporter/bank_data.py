"""A checked bank as plain data, and back: what :func:`exporter.loading.load_bank` keeps in packet's cache.

Reading a bank checks every one of its questions against the taxonomy (some 1,200 texts for the shipped
bank), the same work for the same files on every run. A bank whose files check out without a problem or a
warning is kept whole, as lists and text, under the exact bytes and names of its files and the size and
date of the modules that read and check them; the next run that finds the same files takes it from there.
"""

from typing import Any

from .model import Bank, Category, Domain, Question, Team, Variant, frozen_map


def bank_data(bank: Bank) -> dict[str, Any]:
    """``bank`` as JSON holds it: lists and text, in the bank's order."""
    return {
        "category_sets": [[name, [list(c) for c in categories]] for name, categories in bank.category_sets.items()],
        "categories": [list(c) for c in bank.categories],
        "teams": [list(t) for t in bank.teams],
        "domains": [list(d) for d in bank.domains],
        "questions": [_question_data(q) for q in bank.questions.values()],
        "digest": bank.digest,
        "places": [[question, *place] for question, place in bank.places.items()],
        "category_set": bank.category_set,
    }


def bank_from(data: Any) -> Bank | None:
    """The bank :func:`bank_data` gave ``data`` for; None for data of another shape."""
    try:
        questions = [_question_from(q) for q in data["questions"]]
        bank = Bank(
            categories=tuple(Category(*_texts(c, 3)) for c in data["categories"]),
            teams=tuple(Team(*_texts(t, 2)) for t in data["teams"]),
            domains=tuple(Domain(*_texts(d, 2)) for d in data["domains"]),
            questions=frozen_map({q.id: q for q in questions}),
            digest=_text(data["digest"]),
            places=frozen_map({_text(q): (_text(file), _text(place)) for q, file, place in data["places"]}),
            category_sets=frozen_map(
                {_text(name): tuple(Category(*_texts(c, 3)) for c in cats) for name, cats in data["category_sets"]}
            ),
            category_set=_text(data["category_set"]),
        )
    except (TypeError, ValueError, KeyError, IndexError):
        return None
    return bank if len(data) == 8 and len(bank.questions) == len(questions) else None


def _question_data(q: Question) -> list[Any]:
    return [
        *q[:3],
        [[category, weight] for category, weight in q.categories.items()],
        list(q.teams),
        list(q.domains),
        q.goal,
        list(q.great_signals),
        list(q.negative_signals),
        q.source,
        list(q.follow_ups),
        [list(v) for v in q.variants],
        [[group, list(names)] for group, names in q.technologies.items()],
        q.backup_for,
        q.backup_when,
        list(q.rating_anchors),
    ]


def _question_from(d: list[Any]) -> Question:
    if len(d) != 16:
        raise ValueError("a question of another shape")
    weights = {_text(category): _weight(weight) for category, weight in d[3]}
    identity, title, text = _texts(d[:3], 3)
    return Question(
        id=identity,
        title=title,
        text=text,
        categories=frozen_map(weights),
        teams=_texts(d[4]),
        domains=_texts(d[5]),
        goal=_text(d[6]),
        great_signals=_texts(d[7]),
        negative_signals=_texts(d[8]),
        source=_text(d[9]),
        follow_ups=_texts(d[10]),
        variants=tuple(Variant(*_texts(v, 2)) for v in d[11]),
        technologies=frozen_map({_text(group): _texts(names) for group, names in d[12]}),
        backup_for=None if d[13] is None else _text(d[13]),
        backup_when=None if d[14] is None else _text(d[14]),
        rating_anchors=_texts(d[15]),
    )


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("text expected")
    return value


def _texts(values: Any, count: int | None = None) -> tuple[str, ...]:
    if type(values) is not list:
        raise TypeError("a list expected")
    texts = tuple(map(_text, values))
    if count is not None and len(texts) != count:
        raise ValueError("another number of texts")
    return texts


def _weight(value: Any) -> float:
    if type(value) is not float or not 0 < value <= 1:
        raise ValueError("a weight is a number in (0, 1]")
    return value
