"""The TagDesk filter language: which follow relations (customer × owner) to show.

A filter is a boolean expression over tags and fields. Examples::

    高意向                          relations tagged 高意向
    高意向 VIP                      both tags (juxtaposition is AND)
    高意向 -已流失                  高意向 but not 已流失
    客户等级:VIP                    the tag VIP of the group 客户等级
    "客户 等级":"VIP 1"             quoted group and tag names
    group:客户等级                  any tag of the group (alias 分组:客户等级)
    教育/*                          教育, 教育/K12, 教育/K12/小学, ... (path descendants)
    (高意向 | 意向中) owner:zhangsan
    部门:销售一部 且 添加时间>=2025-01-01
    非 (state:expo2026 或 渠道:展会A)
    text:北京 tags>=3 before:2025-06-30

Tags
    A bare word is a tag name: CJK, letters, digits and any character that is not
    whitespace or an operator (`( ) & | : < > = !` and their full-width forms), so
    `教育/K12`, `MKT-高意向`, `v1.2` and `Women's` are single words. Quote a name with
    spaces or operators: "高 意向", 'A&B', 「高 意向」, “高 意向”, ‘x’, 『x』; inside quotes a
    backslash escapes the next character. `group:name` qualifies a tag by its group
    (quote a group called like a field: `"owner":VIP`). A bare name found in several
    groups is an error that lists each qualified spelling (`客户等级:VIP`, `复购:VIP`).
    `name/*` (or `"quoted name"/*`) matches the tag and its path descendants; paths split
    on `/`. Names match exactly, or else ignoring case and full/half width.

Boolean operators
    NOT > AND > OR. `AND` `OR` `NOT` (any case), `且` `或` `非` (whole words, with
    spaces around them), `&` `|` (also `&&` `||`), prefix `-` or `!` for NOT, the
    full-width －！＆｜, and juxtaposition for AND. Parentheses `( )` or `（ ）`.
    A keyword glued inside a word (`高意向且VIP`) does not count: that is one tag name,
    and the unknown-tag error suggests the spaced form.

Fields (`field:value`; `=` may replace `:`)
    owner:ID / 负责人:     the owner, by member userid or name (a name shared by several
                           members is an error listing their userids)
    dept:X / 部门:         department name, path (`华东/销售一部`) or id, sub-departments
                           included; a relation matches when its owner belongs there;
                           a name used twice is an error listing `dept:ID` for each
    state:X / 渠道:        the live code's `state`, or a contact way whose remark is X
    text:X / 搜索:         substring, ignoring case and width, of customer name, corp
                           name, corp full name, remark, description, remark corp name,
                           external_userid, remark mobiles
    added>DATE / 添加时间  relation createtime in local days; ops `: = != < <= > >=`;
                           DATE is a day, a month or a year (2025-01-31, 2025-01,
                           2025, 2025/1/31, 20250131, 2025年1月31日; from 1970):
                           `added>2025-01` is from 1 February, `added:2025` the whole year
    before:DATE / after:DATE   the same as added<DATE / added>DATE
    tags>=3 / 标签数>=3    number of corp tags on the relation (deleted tags not counted);
                           ops `: = != < <= > >=`

Errors are `FilterError`s with `.position` (0-based character offset), `.end` and a
"中文 / English" message: `FilterSyntaxError` (also `.expected`, `.found`) and
`BadDateError` from `parse`; unknown / ambiguous tag, group, owner or department from
`resolve` (with `.suggestions` or `.candidates`). `describe_error(text, err)` adds the
filter with a caret under the position::

    第 8 个字符处应为标签或条件，却是输入结尾 / expected a tag or a condition at character 8, …
    高意向 AND
              ^
"""

from desktop.domain.filter.ast import (
    AddedTerm,
    And,
    Comparison,
    DateRange,
    DeptTerm,
    Expr,
    GroupTerm,
    MatchAll,
    Not,
    Or,
    OwnerTerm,
    StateTerm,
    TagCountTerm,
    TagTerm,
    TextTerm,
)
from desktop.domain.filter.catalogue import (
    ChannelEntry,
    DepartmentEntry,
    FilterCatalogue,
    GroupEntry,
    MemberEntry,
    TagEntry,
)
from desktop.domain.filter.errors import (
    AmbiguousDepartmentError,
    AmbiguousOwnerError,
    AmbiguousTagError,
    BadDateError,
    FilterError,
    FilterSyntaxError,
    UnknownDepartmentError,
    UnknownGroupError,
    UnknownOwnerError,
    UnknownTagError,
    describe_error,
    render_caret,
)
from desktop.domain.filter.parser import parse
from desktop.domain.filter.printer import quote, tag_text, to_text
from desktop.domain.filter.resolve import resolve

__all__ = [
    "AddedTerm", "AmbiguousDepartmentError", "AmbiguousOwnerError", "AmbiguousTagError", "And",
    "BadDateError", "ChannelEntry", "Comparison", "DateRange", "DepartmentEntry", "DeptTerm",
    "Expr", "FilterCatalogue", "FilterError", "FilterSyntaxError", "GroupEntry", "GroupTerm",
    "MatchAll", "MemberEntry", "Not", "Or", "OwnerTerm", "StateTerm", "TagCountTerm",
    "TagEntry", "TagTerm", "TextTerm", "UnknownDepartmentError", "UnknownGroupError",
    "UnknownOwnerError", "UnknownTagError", "describe_error", "parse", "quote",
    "render_caret", "resolve", "tag_text", "to_text",
]
