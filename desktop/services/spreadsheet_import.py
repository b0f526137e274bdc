"""Spreadsheet import: check every row first, then queue the valid ones as one batch.

Nothing is written while a single row has a problem, unless the caller explicitly takes only the
valid rows (`skip_invalid`); the rows that were checked and the batch that runs are the same
plan, built by the same planner as a retag, so the preview, the pilot and the outbox behave
exactly as they do for the retag dialog. Problems carry row, column, value, problem and
suggestion, in Chinese and English.

Row rules, beyond what each cell must name (see `spreadsheet_lookup`):

- a row with an id and no tags is not a problem (an export read back unchanged does nothing);
- the same tag both added and removed in one row is a conflict;
- a row repeating an earlier row is a duplicate (the first one stays valid);
- two rows that ask opposite things of one relation (one adds 高意向, the other removes it)
  are both in conflict: TagDesk cannot know which one is meant;
- rows that do not conflict and name the same relation are merged into one `mark_tag` call.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desktop.domain.bilingual import both
from desktop.domain.echo import echo
from desktop.domain.errors import UserError
from desktop.domain.filter.suggest import fold
from desktop.domain.retag_plan import EMPTY_PLAN, RetagPlan, plan_retag
from desktop.domain.tag_names import split_tag_list
from desktop.services.import_template import EXAMPLE_EXTERNAL_USERID
from desktop.services.progress import CancelToken, Progress, ProgressCallback, no_progress
from desktop.services.spreadsheet_lookup import (
    HOW_TO_FIND_ID_EN,
    HOW_TO_FIND_ID_ZH,
    CustomerLookup,
    Finding,
    TagLookup,
)
from desktop.services.spreadsheet_reader import (
    DEFAULT_LIMITS,
    FIELD_ADD,
    FIELD_EXTERNAL_USERID,
    FIELD_OWNER,
    FIELD_REMOVE,
    SheetRow,
    SheetTable,
    SpreadsheetFileError,
    UnsavedFormula,
    read_import_sheet,
)
from desktop.services.tagging import TaggingService
from desktop.services.xlsx_reader import SheetLimits
from desktop.store import outbox
from desktop.store.db import Cache

PHASE = "import"
SOURCE = "import"
_PROGRESS_EVERY = 500


@dataclass(frozen=True)
class ImportProblem:
    """One thing to fix: where (row and column as the spreadsheet shows them), what, how."""

    row: int | None
    column: str
    value: str
    code: str
    problem_zh: str
    problem_en: str
    suggestion_zh: str
    suggestion_en: str

    @property
    def problem(self) -> str:
        return f"{self.problem_zh} / {self.problem_en}"

    @property
    def suggestion(self) -> str:
        return f"{self.suggestion_zh} / {self.suggestion_en}"

    def as_json(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "value": echo(self.value), "code": self.code,
                "problem": self.problem, "suggestion": self.suggestion}


@dataclass
class ImportReport:
    """The outcome of checking a file: its problems and the plan of its valid rows."""

    path: Path
    sheet: str = ""
    rows: int = 0
    valid_rows: list[int] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    plan: RetagPlan = EMPTY_PLAN
    relations: int = 0
    tag_labels: dict[str, str] = field(default_factory=dict)
    elapsed_s: float = 0.0

    @property
    def valid(self) -> int:
        return len(self.valid_rows)

    @property
    def invalid(self) -> int:
        return len({p.row for p in self.problems if p.row is not None})

    @property
    def ok(self) -> bool:
        """Nothing to fix: the whole file can be imported as it is."""
        return not self.problems

    @property
    def importable(self) -> bool:
        """Some valid rows have work to do (possibly alongside invalid ones)."""
        return self.plan.api_calls > 0

    def summary(self) -> dict[str, object]:
        return {"rows": self.rows, "valid": self.valid, "invalid": self.invalid,
                "planned": self.plan.api_calls, "noop": self.plan.skipped_noop,
                "conflicts": self.plan.conflicting_relations,
                "problems": [p.as_json() for p in self.problems]}


@dataclass
class _RowPlan:
    row: SheetRow
    relation_ids: list[int]
    add: list[str]
    remove: list[str]


class SpreadsheetImporter:
    """Check an import file against one profile's cache, then queue it through the outbox."""

    def __init__(self, cache: Cache, limits: SheetLimits = DEFAULT_LIMITS) -> None:
        self._cache = cache
        self._limits = limits

    def validate(
        self,
        path: Path,
        *,
        allow_conflicts: bool = False,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> ImportReport:
        """Read `path` and check every row; never writes. The report's plan covers the valid
        rows (on its own it is only a preview: see `submit`)."""
        started = time.monotonic()
        report = ImportReport(path)
        try:
            table = read_import_sheet(path, self._limits, cancel)
        except SpreadsheetFileError as exc:
            report.problems.append(ImportProblem(None, "", path.name, exc.code, exc.problem_zh,
                                                 exc.problem_en, exc.suggestion_zh,
                                                 exc.suggestion_en))
            return _timed(report, started)
        report.sheet, report.rows = table.sheet_name, len(table.rows)
        if not table.rows:
            report.problems.append(_empty_sheet(table))
            return _timed(report, started)
        tags, customers = TagLookup(self._cache), CustomerLookup(self._cache)
        report.tag_labels = tags.labels()
        checked: list[_RowPlan] = []
        problems: dict[int, list[ImportProblem]] = defaultdict(list)
        seen: dict[tuple[object, ...], int] = {}
        for index, row in enumerate(table.rows):
            if cancel is not None:
                cancel.raise_if_cancelled()
            if index % _PROGRESS_EVERY == 0:
                progress(Progress(PHASE, index, len(table.rows), "检查行 checking rows"))
            planned = _check_row(row, table, tags, customers, problems[row.number])
            if planned is None:
                continue
            key = (row.external_userid, fold(row.owner), frozenset(planned.add),
                   frozenset(planned.remove))
            first = seen.setdefault(key, row.number)
            if first != row.number:
                problems[row.number].append(_duplicate(row, table, first))
                continue
            checked.append(planned)
        _flag_opposites(checked, table, tags, problems)
        valid = [p for p in checked if not problems[p.row.number]]
        report.problems = [p for number in sorted(problems) for p in problems[number]]
        report.valid_rows = [p.row.number for p in valid]
        report.plan, report.relations = self._plan(valid, allow_conflicts)
        progress(Progress(PHASE, len(table.rows), len(table.rows), "检查完成 checked"))
        return _timed(report, started)

    def submit(self, report: ImportReport, tagging: TaggingService, *, pilot_size: int = 0,
               skip_invalid: bool = False) -> str:
        """Queue the valid rows as one batch (source "import"); returns the batch id.

        Refuses a report with problems unless `skip_invalid` says to take only the valid rows.
        """
        if report.problems and not skip_invalid:
            raise ImportRefused(report)
        if not report.importable:
            raise NothingToImport()
        name, valid, rows = report.path.name, report.valid, report.rows
        description = both(f"导入 {name}：{valid}/{rows} 行", f"import {name}: {valid}/{rows} rows")
        return tagging.submit(report.plan, source=SOURCE, description=description,
                              pilot_size=pilot_size)

    def _plan(self, rows: Sequence[_RowPlan], allow_conflicts: bool) -> tuple[RetagPlan, int]:
        """One change per relation, in the order the sheet first names it."""
        wanted: dict[int, tuple[dict[str, None], dict[str, None]]] = {}
        for planned in rows:
            for rid in planned.relation_ids:
                add, remove = wanted.setdefault(rid, ({}, {}))
                add.update(dict.fromkeys(planned.add))
                remove.update(dict.fromkeys(planned.remove))
        states = outbox.relation_states(self._cache, list(wanted))
        sets = outbox.exclusive_sets(self._cache)
        plans = [
            plan_retag({rid: states[rid]}, tuple(add), tuple(remove), None, sets,
                       allow_conflicts)
            for rid, (add, remove) in wanted.items() if rid in states
        ]
        return merge_plans(plans, conflicts_allowed=allow_conflicts), len(wanted)


class ImportRefused(UserError):
    """A file with problems was about to be imported without `skip_invalid`."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(
            f"表格有 {len(report.problems)} 个问题，没有写入任何内容；请修改后重新导入，或只导入有效行。"
            f" / The sheet has {len(report.problems)} problems and nothing was written; fix them"
            " and import again, or import only the valid rows."
        )


class NothingToImport(UserError):
    def __init__(self) -> None:
        super().__init__("表格中的有效行没有需要修改的标签。"
                         " / The valid rows of the sheet change no tags.")


# -- rows -----------------------------------------------------------------------------------


def _check_row(row: SheetRow, table: SheetTable, tags: TagLookup, customers: CustomerLookup,
               problems: list[ImportProblem]) -> _RowPlan | None:
    """The row's relations and tag ids, or None (with its problems appended) if unusable."""
    if row.unsaved_formulas:
        problems.extend(_unsaved_formula(row, table, formula) for formula in row.unsaved_formulas)
        return None
    add_names, remove_names = split_tag_list(row.add), split_tag_list(row.remove)
    relation_ids = _relations(row, table, customers, problems)
    add = _tag_ids(row, table, FIELD_ADD, add_names, tags, problems)
    remove = _tag_ids(row, table, FIELD_REMOVE, remove_names, tags, problems)
    both = [name for name, tag_id in zip(add_names, add, strict=True)
            if tag_id and tag_id in remove]
    for name in both:
        problems.append(ImportProblem(
            row.number, table.column_label(FIELD_REMOVE), name, "add_and_remove",
            f"同一行既添加又移除「{echo(name)}」。", f"The row both adds and removes {echo(name)!r}.",
            "请删掉其中一处：要加上就从「移除标签」中删掉，要去掉就从「添加标签」中删掉。",
            "Delete one of the two: remove it from remove_tags to add it, or from add_tags"
            " to remove it.",
        ))
    if problems or relation_ids is None:
        return None
    return _RowPlan(row, relation_ids, [t for t in add if t], [t for t in remove if t])


def _relations(row: SheetRow, table: SheetTable, customers: CustomerLookup,
               problems: list[ImportProblem]) -> list[int] | None:
    column = table.column_label(FIELD_EXTERNAL_USERID)
    if not row.external_userid:
        problems.append(ImportProblem(
            row.number, column, "", "missing_id", "这一行没有填 external_userid。",
            "The row has no external_userid.", HOW_TO_FIND_ID_ZH, HOW_TO_FIND_ID_EN))
        return None
    if row.external_userid == EXAMPLE_EXTERNAL_USERID:
        problems.append(ImportProblem(
            row.number, column, row.external_userid, "example_row",
            "这是模板里的示例行。", "This is the template's example row.",
            "请把它换成真实客户，或删除这一行。", "Replace it with a real customer or delete the row."))
        return None
    found = customers.relation_ids(row.external_userid, row.owner)
    if isinstance(found, Finding):
        field_name = FIELD_OWNER if found.code in ("unknown_member", "not_followed") \
            else FIELD_EXTERNAL_USERID
        value = row.owner if field_name == FIELD_OWNER else row.external_userid
        problems.append(_from_finding(row, table.column_label(field_name), value, found))
        return None
    return found


def _tag_ids(row: SheetRow, table: SheetTable, field_name: str, names: list[str],
             tags: TagLookup, problems: list[ImportProblem]) -> list[str]:
    """Ids in the order of `names`; "" where a name did not resolve (its problem appended)."""
    ids: list[str] = []
    for name in names:
        found = tags.resolve(name)
        if isinstance(found, Finding):
            problems.append(_from_finding(row, table.column_label(field_name), name, found))
            ids.append("")
        else:
            ids.append(found)
    return ids


def _flag_opposites(rows: Sequence[_RowPlan], table: SheetTable, tags: TagLookup,
                    problems: dict[int, list[ImportProblem]]) -> None:
    """Two rows that add and remove the same tag on the same relation: flag both."""
    adders: dict[tuple[int, str], int] = {}
    removers: dict[tuple[int, str], int] = {}
    for planned in rows:
        for rid in planned.relation_ids:
            for tag_id in planned.add:
                adders.setdefault((rid, tag_id), planned.row.number)
            for tag_id in planned.remove:
                removers.setdefault((rid, tag_id), planned.row.number)
    flagged: set[tuple[int, int, str]] = set()
    labels = tags.labels()
    for key, adding_row in adders.items():
        removing_row = removers.get(key)
        if removing_row is None:
            continue
        label = labels.get(key[1], key[1])
        for number, other, field_name in ((adding_row, removing_row, FIELD_ADD),
                                          (removing_row, adding_row, FIELD_REMOVE)):
            if (number, other, key[1]) in flagged:
                continue
            flagged.add((number, other, key[1]))
            problems[number].append(ImportProblem(
                number, table.column_label(field_name), label, "conflicting_rows",
                f"第 {number} 行与第 {other} 行对同一客户关系的「{label}」要求相反（一行添加，一行移除）。",
                f"Rows {number} and {other} ask opposite things of {label!r} on the same"
                " relation (one adds it, the other removes it).",
                "请只保留其中一行的要求。", "Keep the instruction of only one of the two rows.",
            ))


def _duplicate(row: SheetRow, table: SheetTable, first: int) -> ImportProblem:
    return ImportProblem(
        row.number, table.column_label(FIELD_EXTERNAL_USERID), row.external_userid,
        "duplicate_row", f"这一行与第 {first} 行完全相同。",
        f"This row repeats row {first}.", "请删除重复的行。", "Delete the repeated row.")


def _unsaved_formula(row: SheetRow, table: SheetTable, formula: UnsavedFormula) -> ImportProblem:
    """A formula without a saved value reads as empty, and an empty owner means every owner:
    never guess what the formula would have said."""
    return ImportProblem(
        row.number, table.column_label(formula.field), echo(formula.formula),
        "formula_without_value", f"{formula.cell} 是公式但没有保存的值。",
        f"{formula.cell} is a formula without a saved value.",
        "请在 Excel 中打开并保存后再导入。", "Open and save it in Excel, then import again.")


def _empty_sheet(table: SheetTable) -> ImportProblem:
    return ImportProblem(
        None, "", table.sheet_name, "empty_sheet",
        f"工作表「{echo(table.sheet_name)}」在表头下面没有任何数据行。",
        f"Sheet {echo(table.sheet_name)!r} has no rows under its header.",
        "请在表头下每行填一个客户和要修改的标签（可先在 TagDesk 中导出客户）。",
        "Fill in one customer per row with the tags to change (an export from TagDesk is a"
        " good start).")


def _from_finding(row: SheetRow, column: str, value: str, found: Finding) -> ImportProblem:
    return ImportProblem(row.number, column, value, found.code, found.problem_zh,
                         found.problem_en, found.suggestion_zh, found.suggestion_en)


def merge_plans(plans: Sequence[RetagPlan], *, conflicts_allowed: bool) -> RetagPlan:
    """One plan out of per-relation plans (each row may ask something different)."""
    per_add: Counter[str] = Counter()
    per_remove: Counter[str] = Counter()
    already_tagged: Counter[str] = Counter()
    already_absent: Counter[str] = Counter()
    for plan in plans:
        per_add.update(plan.per_tag_add)
        per_remove.update(plan.per_tag_remove)
        already_tagged.update(plan.already_tagged)
        already_absent.update(plan.already_absent)
    return RetagPlan(
        changes=tuple(c for plan in plans for c in plan.changes),
        skipped_noop=sum(plan.skipped_noop for plan in plans),
        conflicts=tuple(c for plan in plans for c in plan.conflicts),
        per_tag_add=dict(per_add), per_tag_remove=dict(per_remove),
        already_tagged=dict(already_tagged), already_absent=dict(already_absent),
        conflicts_allowed=conflicts_allowed,
    )


def _timed(report: ImportReport, started: float) -> ImportReport:
    report.elapsed_s = time.monotonic() - started
    return report
