"""Auto-tagging quality and speed on TagDesk's own labelled chats (tests/bench/autotag_data).

Three methods on the 12-tag keyword file a department head would write (3–5 keywords a tag):
plain substring keywords; the rules engine (normalisation, segmentation, sound-alikes,
negation, traps, bundled intent packs); rules + learner. Message- and customer-level (the
union over a customer's messages) micro / macro precision, recall and F1, on:

  dev       the part the phrase lists and rules were tuned on; the learner is scored by
            customer-disjoint 5-fold cross-validation inside it;
  held-out  written apart and never tuned on; the learner is trained on all of dev (no
            customer of held-out is in dev);
  all       dev and held-out together, the learner scored by customer-disjoint 5-fold
            cross-validation (training data from the same chats, as a corp's own would be);
  fresh     146 messages written after the thresholds and before the second round of pack
            tuning; the learner is trained on dev and held-out;
  dev2-6    540 messages written one set at a time for the third round (pack patterns), each
            scored once as it was and then tuned on; the learner is trained on dev;
  unseen    323 messages written and committed before the third round, scored once at its
            end; the learner is trained on dev, dev2-6, held-out and fresh (1,517 messages);
  dev7-13   670 messages written one set at a time for the fourth round, each scored once as
            written (the data README has those scores) and then tuned on; the learner is
            trained on every set written before the round (1,840 messages);
  unseen2   276 messages in eighteen industries and styles, written and committed before the
            fourth round, scored once at its end; the learner is trained on every set
            written before it and in the fourth round (2,510 messages);
  dev14-19  558 messages written one set at a time for the fifth round (dev17 whole chats),
            each scored once as written and then tuned on; the learner is trained on every
            set written before the round (2,786 messages);
  unseen3   278 messages in nineteen industries and styles, written and committed before the
            fifth round, scored once at its end; the learner is trained on every set but
            unseen4, unseen5, unseen6 and the sixth to eighth rounds';
  dev20-    the sixth round's tuning sets (e-commerce after-sales chats and reviews), each
            scored once as written and then tuned on; the learner is trained on every set
            written before the round;
  unseen4   272 messages, half e-commerce after-sales chats and shopping and takeaway
            reviews, written and committed before the sixth round, scored once at its end;
            the learner is trained on every set but unseen5, unseen6 and the seventh and
            eighth rounds';
  dev29-    the seventh round's tuning sets (suppositions, settled faults, shoppers' slang,
            whole chats, the other industries), each scored once as written and then tuned
            on; the learner is trained on every set written before the round;
  unseen5   285 messages in a new style, half e-commerce after-sales turns and reviews,
            written and committed before the seventh round, scored once at its end; the
            learner is trained on every set but unseen6 and the eighth round's;
  dev38-    the eighth round's tuning sets (praise, settled matters, interjections, small
            talk, faults in reviewers' words), each scored once as written and then tuned
            on; the learner is trained on every set written before the round;
  unseen6   194 messages, half e-commerce after-sales turns and reviews, a quarter with no
            tag that use intent words, written and committed before the eighth round,
            scored once at its end; the learner is trained on every set but unseen7 and the
            ninth round's;
  dev41-    the ninth round's tuning sets (a week of chats: short turns, replies that lean on
            the turn before), each scored once as written and then tuned on; the learner is
            trained on every set written before the round;
  unseen7   214 messages written as a week of a corp's chats (two to four short turns a
            customer, voice-to-text slips, a third with no tag), committed before the ninth
            round, scored once at its end; the learner is trained on every set but unseen8
            and the tenth round's;
  dev42-    the tenth round's tuning sets (real estate, home decoration, insurance, travel,
            fitness, wholesale and pets beside the usual six), each scored once as written
            and then tuned on; the learner is trained on every set written before the round;
  unseen8   213 messages written as a corp's chat-archive export in those industries
            (indirect questions, sarcasm, pasted order numbers, Cantonese and Taiwanese
            wording, a quarter with no tag), committed before the tenth round, scored once
            at its end; the learner is trained on every set but unseen9 and the eleventh
            round's;
  dev44-    the eleventh round's tuning sets (appliance repair, adult training, aesthetics and
            dental clinics, car rental and used cars, shop software, fresh food delivery and
            the tenth round's industries), each scored once as written and then tuned on; the
            learner is trained on every set written before the round;
  unseen9   219 messages written as a corp's after-sales and pre-sales queue export in those
            industries (one to three turns a customer, a third with no tag), committed
            before the eleventh round, scored once at its end; the learner is trained on
            every set but unseen10 and the twelfth round's;
  dev47-    the twelfth round's tuning sets (an online shop's customer-service turns, shopping
            and takeaway reviews, photography, weddings, furniture, printing, phone repair,
            language schools, farms; unseen8's style), each scored once as written and then
            tuned on; the learner is trained on every set written before the round;
  unseen10  223 messages in a new hand: an online shop's customer-service chats (order
            numbers, 在吗 openers, voice-to-text slips), shopping and takeaway reviews in many
            moods and those industries, a third with no tag, committed before the twelfth
            round, scored once at its end; the learner is trained on every set but unseen11
            and the thirteenth round's;
  dev50-    the thirteenth round's sets (dialects and English, formal and elderly registers,
            live-stream comments, work groups, one-word and rambling turns, whole chats,
            numbers and codes, survey replies, law cited, machine-translated Chinese,
            sound-alike slips and the grammar of intent, in many trades no earlier set has),
            each scored once as written and added to the base model's training, never tuned
            on; the learner is trained on every set written before the round;
  unseen11  200 messages in a new hand: an online shop's service desk over several turns,
            shopping and takeaway reviews in many moods, car repair, dentistry,
            kindergartens, renovation, beauty salons, B2B parts, ticketing, gyms, pharmacies
            and logistics, a third with no tag, committed before the thirteenth round, scored
            once at its end; the learner is trained on every other set.

"rules + learner" is the learner alone, without the bundled base model. "rules + base model"
(held-out and the unseen sets only: the base was trained on every other set, so
elsewhere it would be scored on its own training data) is the base model with no TRAIN file.

The learning curves: held-out's and the unseen sets' F1 against the number of
the set's own confirmed messages the learner is trained on (customer-disjoint folds of the
set), the number that predicts how a corp's own TRAIN file does on its other customers;
without and with the base model (left out with --no-curves). Then the per-tag thresholds
chosen on dev.

Targets: rules ≥ 0.65 customer micro F1; rules + learner ≥ 0.85 F1 with precision ≥ 0.90;
< 5 ms per message on one core. Prints numbers; asserts nothing.
Usage: .venv/bin/python tests/bench/bench_autotag.py [--quick] [--no-curves] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from desktop.domain.autotag import AutoTagger, LabelledMessage, TagKeywords  # noqa: E402
from desktop.domain.autotag.learner import Learner  # noqa: E402
from desktop.services.autotag_base import load_base_model  # noqa: E402
from desktop.services.autotag_packs import load_intent_packs  # noqa: E402
from tests.bench.autotag_metrics import Report, by_customer, report  # noqa: E402

DATA = Path(__file__).resolve().parent / "autotag_data"
FOLDS = 5
SIXTH_ROUND = (20, 21, 22, 23, 24, 25, 26, 27, 28)
SEVENTH_ROUND = (29, 30, 31, 32, 33, 34, 35, 36, 37)
EIGHTH_ROUND = (38, 39, 40)
NINTH_ROUND = (41,)
TENTH_ROUND = (42, 43)
ELEVENTH_ROUND = (44, 45, 46)
TWELFTH_ROUND = (47, 48, 49)
THIRTEENTH_ROUND = tuple(range(50, 91))


def load(name: str) -> list[LabelledMessage]:
    rows = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
    return [LabelledMessage(r["id"], r["customer"], r["text"], tuple(r["labels"])) for r in rows]


def load_tags() -> list[TagKeywords]:
    data = json.loads((DATA / "keywords.json").read_text(encoding="utf-8"))
    return [TagKeywords(name, tuple(entry["keywords"])) for name, entry in data["tags"].items()]


def plain_keywords(tags: Sequence[TagKeywords]) -> Callable[[str], set[str]]:
    return lambda text: {t.name for t in tags if any(k in text for k in t.keywords)}


def labeller(tagger: AutoTagger) -> Callable[[str], set[str]]:
    return lambda text: set(tagger.labels(text))


def timed(predict: Callable[[str], set[str]], messages: Sequence[LabelledMessage]
          ) -> tuple[list[set[str]], float]:
    started = time.perf_counter()
    predicted = [predict(m.text) for m in messages]
    return predicted, 1000 * (time.perf_counter() - started) / max(1, len(messages))


def fold_of(customer: str) -> int:
    return zlib.crc32(customer.encode()) % FOLDS


def learner_cv(tags: Sequence[TagKeywords], messages: Sequence[LabelledMessage]
               ) -> tuple[list[set[str]], float, float]:
    """Customer-disjoint cross-validation: each fold predicted by a tagger trained on the
    others. Returns predictions in input order, ms per message and seconds per training."""
    predicted: list[set[str]] = [set() for _ in messages]
    train_s = ms = 0.0
    for fold in range(FOLDS):
        training = [m for m in messages if fold_of(m.customer) != fold]
        held = [i for i, m in enumerate(messages) if fold_of(m.customer) == fold]
        started = time.perf_counter()
        tagger = AutoTagger.build(tags, training, packs=load_intent_packs())
        train_s += time.perf_counter() - started
        started = time.perf_counter()
        for i in held:
            predicted[i] = set(tagger.labels(messages[i].text))
        ms += 1000 * (time.perf_counter() - started)
    return predicted, ms / max(1, len(messages)), train_s / FOLDS


def learning_curve(tags: Sequence[TagKeywords], messages: Sequence[LabelledMessage],
                   base: Learner | None = None) -> list[dict[str, object]]:
    """Held-out F1 as a function of how many of the set's own confirmed messages the learner
    gets: the set is cut into FOLDS customer-disjoint folds; each fold is predicted by a
    tagger trained on the `k` folds after it (k = 0: the rules alone), for k = 0 … FOLDS-1.
    This is what a corp's own TRAIN file of that size would give on its other customers."""
    names = [t.name for t in tags]
    folds = [[i for i, m in enumerate(messages) if fold_of(m.customer) == f] for f in range(FOLDS)]
    points = []
    for k in range(FOLDS):
        predicted: list[set[str]] = [set() for _ in messages]
        sizes = []
        for fold in range(FOLDS):
            training = [messages[i] for step in range(1, k + 1)
                        for i in folds[(fold + step) % FOLDS]]
            sizes.append(len(training))
            tagger = AutoTagger.build(tags, training, packs=load_intent_packs(), base=base)
            for i in folds[fold]:
                predicted[i] = set(tagger.labels(messages[i].text))
        message, customer = levels(names, messages, predicted)
        point = row(f"{round(sum(sizes) / FOLDS)} training messages", message, customer, 0.0)
        point["training_messages"] = round(sum(sizes) / FOLDS)
        points.append(point)
    return points


def levels(tag_names: Sequence[str], messages: Sequence[LabelledMessage],
           predicted: Sequence[set[str]]) -> tuple[Report, Report]:
    truth = [set(m.labels) for m in messages]
    customers = [m.customer for m in messages]
    real, guess = by_customer(customers, truth), by_customer(customers, predicted)
    keys = sorted(real)
    return (report(tag_names, truth, predicted),
            report(tag_names, [real[k] for k in keys], [guess[k] for k in keys]))


def row(label: str, message: Report, customer: Report, ms: float) -> dict[str, object]:
    def triple(scores: object) -> list[float]:
        return [round(getattr(scores, f), 3) for f in ("precision", "recall", "f1")]
    return {"method": label, "ms_per_message": round(ms, 3),
            "message_micro": triple(message.micro), "message_macro": triple(message.macro),
            "customer_micro": triple(customer.micro), "customer_macro": triple(customer.macro)}


def print_table(title: str, rows: Sequence[dict[str, object]]) -> None:
    print(f"\n{title}")
    print(f"{'method':<22}{'msg micro P/R/F1':>20}{'msg macro F1':>14}"
          f"{'cust micro P/R/F1':>21}{'cust macro F1':>15}{'ms/msg':>9}")
    for r in rows:
        mm, cm = r["message_micro"], r["customer_micro"]
        assert isinstance(mm, list) and isinstance(cm, list)
        ma, ca = r["message_macro"], r["customer_macro"]
        assert isinstance(ma, list) and isinstance(ca, list)
        print(f"{r['method']:<22}{mm[0]:>8.3f}{mm[1]:>6.3f}{mm[2]:>6.3f}{ma[2]:>14.3f}"
              f"{cm[0]:>9.3f}{cm[1]:>6.3f}{cm[2]:>6.3f}{ca[2]:>15.3f}{r['ms_per_message']:>9.2f}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="same sizes (the set is small)")
    parser.add_argument("--no-curves", action="store_true",
                        help="leave out the learning curves (most of the run's time)")
    parser.add_argument("--json", action="store_true", help="end with a JSON line")
    args = parser.parse_args(argv)
    tags = load_tags()
    names = [t.name for t in tags]
    dev, held_out, fresh = load("dev.jsonl"), load("heldout.jsonl"), load("fresh.jsonl")
    later_dev = [m for n in range(2, 7) for m in load(f"dev{n}.jsonl")]
    unseen, unseen2 = load("unseen.jsonl"), load("unseen2.jsonl")
    fourth_round = [m for n in range(7, 14) for m in load(f"dev{n}.jsonl")]
    fifth_round = [m for n in range(14, 20) for m in load(f"dev{n}.jsonl")]
    unseen3 = load("unseen3.jsonl")
    sixth_round = [m for n in SIXTH_ROUND for m in load(f"dev{n}.jsonl")]
    unseen4 = load("unseen4.jsonl")
    seventh_round = [m for n in SEVENTH_ROUND for m in load(f"dev{n}.jsonl")]
    unseen5 = load("unseen5.jsonl")
    eighth_round = [m for n in EIGHTH_ROUND for m in load(f"dev{n}.jsonl")]
    unseen6 = load("unseen6.jsonl")
    ninth_round = [m for n in NINTH_ROUND for m in load(f"dev{n}.jsonl")]
    unseen7 = load("unseen7.jsonl")
    tenth_round = [m for n in TENTH_ROUND for m in load(f"dev{n}.jsonl")]
    unseen8 = load("unseen8.jsonl")
    eleventh_round = [m for n in ELEVENTH_ROUND for m in load(f"dev{n}.jsonl")]
    unseen9 = load("unseen9.jsonl")
    twelfth_round = [m for n in TWELFTH_ROUND for m in load(f"dev{n}.jsonl")]
    unseen10 = load("unseen10.jsonl")
    thirteenth_round = [m for n in THIRTEENTH_ROUND for m in load(f"dev{n}.jsonl")]
    unseen11 = load("unseen11.jsonl")
    started = time.perf_counter()
    rules = AutoTagger.build(tags, packs=load_intent_packs())
    rules_build_s = time.perf_counter() - started
    started = time.perf_counter()
    base = load_base_model()
    based = AutoTagger.build(tags, packs=load_intent_packs(), base=base)
    base_build_s = time.perf_counter() - started
    started, cpu_started = time.perf_counter(), time.process_time()
    trained = AutoTagger.build(tags, dev, packs=load_intent_packs())
    train_s, train_cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
    results: dict[str, list[dict[str, object]]] = {}
    trained_on_all = AutoTagger.build(tags, dev + held_out, packs=load_intent_packs())
    trained_on_others = AutoTagger.build(
        tags, dev + later_dev + held_out + fresh, packs=load_intent_packs())
    before_fourth_round = dev + later_dev + held_out + fresh + unseen
    trained_before_fourth_round = AutoTagger.build(
        tags, before_fourth_round, packs=load_intent_packs())
    trained_through_fourth_round = AutoTagger.build(
        tags, before_fourth_round + fourth_round, packs=load_intent_packs())
    before_fifth_round = before_fourth_round + fourth_round + unseen2
    trained_before_fifth_round = AutoTagger.build(
        tags, before_fifth_round, packs=load_intent_packs())
    through_fifth_round = before_fifth_round + fifth_round
    trained_through_fifth_round = AutoTagger.build(
        tags, through_fifth_round, packs=load_intent_packs())
    trained_before_sixth_round = AutoTagger.build(
        tags, through_fifth_round + unseen3, packs=load_intent_packs())
    before_seventh_round = through_fifth_round + unseen3 + sixth_round + unseen4
    trained_before_seventh_round = AutoTagger.build(
        tags, through_fifth_round + unseen3 + sixth_round, packs=load_intent_packs())
    trained_through_sixth_round = AutoTagger.build(
        tags, before_seventh_round, packs=load_intent_packs())
    before_eighth_round = before_seventh_round + seventh_round + unseen5
    trained_before_eighth_round = AutoTagger.build(
        tags, before_seventh_round + seventh_round, packs=load_intent_packs())
    trained_through_seventh_round = AutoTagger.build(
        tags, before_eighth_round, packs=load_intent_packs())
    before_ninth_round = before_eighth_round + eighth_round + unseen6
    trained_before_ninth_round = AutoTagger.build(
        tags, before_eighth_round + eighth_round, packs=load_intent_packs())
    trained_through_eighth_round = AutoTagger.build(
        tags, before_ninth_round, packs=load_intent_packs())
    before_tenth_round = before_ninth_round + ninth_round + unseen7
    trained_before_tenth_round = AutoTagger.build(
        tags, before_ninth_round + ninth_round, packs=load_intent_packs())
    trained_through_ninth_round = AutoTagger.build(
        tags, before_tenth_round, packs=load_intent_packs())
    before_eleventh_round = before_tenth_round + tenth_round + unseen8
    trained_before_eleventh_round = AutoTagger.build(
        tags, before_tenth_round + tenth_round, packs=load_intent_packs())
    trained_through_tenth_round = AutoTagger.build(
        tags, before_eleventh_round, packs=load_intent_packs())
    before_twelfth_round = before_eleventh_round + eleventh_round + unseen9
    trained_before_twelfth_round = AutoTagger.build(
        tags, before_eleventh_round + eleventh_round, packs=load_intent_packs())
    trained_through_eleventh_round = AutoTagger.build(
        tags, before_twelfth_round, packs=load_intent_packs())
    before_thirteenth_round = before_twelfth_round + twelfth_round + unseen10
    trained_before_thirteenth_round = AutoTagger.build(
        tags, before_twelfth_round + twelfth_round, packs=load_intent_packs())
    trained_through_twelfth_round = AutoTagger.build(
        tags, before_thirteenth_round, packs=load_intent_packs())
    trained_on_every_other = AutoTagger.build(
        tags, before_thirteenth_round + thirteenth_round, packs=load_intent_packs())
    apart = {"held-out": trained, "fresh": trained_on_all, "dev2-6": trained,
             "unseen": trained_on_others, "dev7-13": trained_before_fourth_round,
             "unseen2": trained_through_fourth_round, "dev14-19": trained_before_fifth_round,
             "unseen3": trained_through_fifth_round, "dev20-": trained_before_sixth_round,
             "unseen4": trained_before_seventh_round, "dev29-": trained_through_sixth_round,
             "unseen5": trained_before_eighth_round, "dev38-": trained_through_seventh_round,
             "unseen6": trained_before_ninth_round, "dev41-": trained_through_eighth_round,
             "unseen7": trained_before_tenth_round, "dev42-": trained_through_ninth_round,
             "unseen8": trained_before_eleventh_round, "dev44-": trained_through_tenth_round,
             "unseen9": trained_before_twelfth_round, "dev47-": trained_through_eleventh_round,
             "unseen10": trained_before_thirteenth_round,
             "dev50-": trained_through_twelfth_round, "unseen11": trained_on_every_other}
    for part, messages in (("dev", dev), ("held-out", held_out), ("all", dev + held_out),
                           ("fresh", fresh), ("dev2-6", later_dev), ("unseen", unseen),
                           ("dev7-13", fourth_round), ("unseen2", unseen2),
                           ("dev14-19", fifth_round), ("unseen3", unseen3),
                           ("dev20-", sixth_round), ("unseen4", unseen4),
                           ("dev29-", seventh_round), ("unseen5", unseen5),
                           ("dev38-", eighth_round), ("unseen6", unseen6),
                           ("dev41-", ninth_round), ("unseen7", unseen7),
                           ("dev42-", tenth_round), ("unseen8", unseen8),
                           ("dev44-", eleventh_round), ("unseen9", unseen9),
                           ("dev47-", twelfth_round), ("unseen10", unseen10),
                           ("dev50-", thirteenth_round), ("unseen11", unseen11)):
        rows = []
        for label, predict in (("plain keywords", plain_keywords(tags)),
                               ("rules", labeller(rules))):
            predicted, ms = timed(predict, messages)
            rows.append(row(label, *levels(names, messages, predicted), ms))
        if part in ("held-out", "unseen", "unseen2", "unseen3", "unseen4", "unseen5", "unseen6",
                    "unseen7", "unseen8", "unseen9", "unseen10", "unseen11"):
            predicted, ms = timed(labeller(based), messages)
            rows.append(row("rules + base model", *levels(names, messages, predicted), ms))
        tagger = apart.get(part)
        if tagger is None:
            predicted, ms, fold_train_s = learner_cv(tags, messages)
            rows.append(row("rules + learner (cv)", *levels(names, messages, predicted), ms))
        else:
            predicted, ms = timed(labeller(tagger), messages)
            rows.append(row("rules + learner", *levels(names, messages, predicted), ms))
        results[part] = rows
        customers = len({m.customer for m in messages})
        print_table(f"{part}: {len(messages)} messages, {customers} customers", rows)
    scored = (("held-out", held_out), ("unseen", unseen), ("unseen2", unseen2),
              ("unseen3", unseen3), ("unseen4", unseen4), ("unseen5", unseen5),
              ("unseen6", unseen6), ("unseen7", unseen7), ("unseen8", unseen8),
              ("unseen9", unseen9), ("unseen10", unseen10), ("unseen11", unseen11))
    curves: dict[str, list[dict[str, object]]] = {}
    based_curves: dict[str, list[dict[str, object]]] = {}
    if not args.no_curves:
        for part, messages in scored:
            key = "learning_curve" if part == "held-out" else f"{part}_learning_curve"
            curves[key] = learning_curve(tags, messages)
            print_table(f"learning curve on {part} (customer-disjoint folds of {part} itself;"
                        f" the learner sees only {part}'s other customers)", curves[key])
        for part, messages in scored:
            based_curves[part] = learning_curve(tags, messages, base)
            print_table(f"learning curve on {part} with the base model", based_curves[part])
    print("\nper-tag thresholds chosen on dev (precision 0.90 on out-of-fold customers):")
    thresholds = {name: round(trained.threshold_for(name), 3) for name in names}
    print("  " + ", ".join(f"{name} {value:.2f}{'' if name in trained.thresholds else '*'}"
                           for name, value in thresholds.items())
          + "   (* too few confirmed customers: the default)")
    print(f"\nbuild (rules): {rules_build_s:.2f} s; with the base model (read and built):"
          f" {base_build_s:.2f} s; training on dev ({len(dev)} messages):"
          f" {train_s:.2f} s ({train_cpu_s:.2f} s of CPU); per cross-validation fold of all:"
          f" {fold_train_s:.2f} s")
    if args.json:
        print(json.dumps({"results": results, **curves,
                          "learning_curves_with_base": based_curves, "thresholds": thresholds,
                          "rules_build_s": round(rules_build_s, 3),
                          "base_build_s": round(base_build_s, 3),
                          "train_s": round(train_s, 3), "train_cpu_s": round(train_cpu_s, 3)},
                         ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
