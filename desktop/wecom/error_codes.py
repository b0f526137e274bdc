"""The one table that turns a WeCom errcode into a kind and advice a user can act on.

Kinds decide what the client and its callers do (retry, refresh the token, stop the whole
run, or record one failed item and go on); the texts say in plain words what to change.
Codes and meanings follow /work/shared/wecom-api.md §1 and §11.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from desktop.domain.bilingual import half

GETTOKEN_PATH = "gettoken"


class ErrorKind(enum.Enum):
    """What a caller should do about an error."""

    RETRYABLE = "retryable"  # transient on WeCom's side: retry with backoff
    TOKEN = "token"  # the access token is bad: refresh once and retry once
    RATE_LIMITED = "rate_limited"  # 45009: pause every call until the window ends
    CONCURRENCY = "concurrency"  # 45033: fewer calls in flight, short backoff
    CONFIGURATION = "configuration"  # corp id, secret, IP allow-list, app permissions: stop
    PERMANENT_ITEM = "permanent_item"  # this item fails for good; other items may go on
    INVALID_REQUEST = "invalid_request"  # the request itself is malformed (a TagDesk bug)
    UNKNOWN = "unknown"  # a code not in the table


@dataclass(frozen=True)
class ErrorInfo:
    """Kind plus Chinese and English advice for one errcode."""

    kind: ErrorKind
    zh: str
    en: str


_R = ErrorKind.RETRYABLE
_T = ErrorKind.TOKEN
_C = ErrorKind.CONFIGURATION
_P = ErrorKind.PERMANENT_ITEM
_I = ErrorKind.INVALID_REQUEST

ERROR_TABLE: dict[int, ErrorInfo] = {
    -1: ErrorInfo(_R, "企业微信系统繁忙，请稍后重试。", "WeCom is busy; try again in a moment."),
    6000: ErrorInfo(
        _R,
        "数据版本冲突（其他人同时在修改），请稍后重试。",
        "Data version conflict (someone else changed it at the same time); try again later.",
    ),
    40001: ErrorInfo(
        _T,
        "访问凭证无效，将自动重新获取；若持续出现，请检查应用 Secret 是否已被重置。",
        "The access token is invalid and will be renewed; if this persists, check whether "
        "the app secret was reset.",
    ),
    40003: ErrorInfo(
        _P,
        "成员账号（UserID）无效，请确认该成员仍在企业中。",
        "Invalid member UserID; check that the member still belongs to the corp.",
    ),
    40013: ErrorInfo(
        _C,
        "企业ID（corpid）无效，请在配置中核对企业ID（管理后台「我的企业」页底部）。",
        "Invalid corp ID; check the corp ID in the profile (admin console, My Company page).",
    ),
    40014: ErrorInfo(
        _T,
        "访问凭证（access_token）无效，将自动重新获取。",
        "The access token is invalid; it will be renewed automatically.",
    ),
    40033: ErrorInfo(
        _I,
        "请求包含不合法的字符编码（\\uxxxx 转义），这是 TagDesk 的缺陷，请反馈。",
        "The request contained \\uxxxx escapes or a bad charset; this is a TagDesk bug, "
        "please report it.",
    ),
    40058: ErrorInfo(
        _I,
        "请求参数不合法（例如名称超长或取值越界），请检查输入。",
        "A request parameter is invalid (for example a name that is too long); check the input.",
    ),
    40063: ErrorInfo(
        _I,
        "请求中有参数为空，请补全后再试。",
        "A required parameter is empty; fill it in and try again.",
    ),
    40068: ErrorInfo(
        _P,
        "标签ID无效（标签不存在或已被删除），请先同步标签库再操作。",
        "Invalid tag ID (the tag does not exist or was deleted); sync the tag library first.",
    ),
    40071: ErrorInfo(
        _P,
        "标签名称已存在，请换一个名称。",
        "A tag with this name already exists; choose another name.",
    ),
    40072: ErrorInfo(
        _P,
        "标签名称长度不合法（最多 30 个字符），请缩短名称。",
        "Invalid tag name length (at most 30 characters); shorten the name.",
    ),
    40091: ErrorInfo(
        _C,
        "应用 Secret 无效（可能是其他企业或其他应用的 Secret）：请用 echo \"$SECRET\" |"
        " tagdesk profile add 配置名 --secret-stdin 重新存入配置；已打开的 TagDesk 窗口回到前台时即改用它。",
        "The app secret is invalid (perhaps from another corp or app): store it in the profile"
        " again with echo \"$SECRET\" | tagdesk profile add NAME --secret-stdin; a TagDesk window"
        " that is open uses it once it is back in front.",
    ),
    40096: ErrorInfo(
        _P,
        "客户ID（external_userid）无效，该客户可能已不存在，请重新同步。",
        "Invalid customer ID (external_userid); the customer may be gone; sync again.",
    ),
    41001: ErrorInfo(
        _T,
        "缺少访问凭证（access_token），将自动重新获取。",
        "The access token is missing; it will be fetched automatically.",
    ),
    41002: ErrorInfo(
        _C,
        "缺少企业ID（corpid），请在配置中填写企业ID。",
        "The corp ID is missing; enter it in the profile.",
    ),
    41004: ErrorInfo(
        _C,
        "缺少应用 Secret，请在配置中填写。",
        "The app secret is missing; enter it in the profile.",
    ),
    41017: ErrorInfo(
        _I,
        "缺少标签ID（tag_id），这是 TagDesk 的缺陷，请反馈。",
        "The tag_id is missing; this is a TagDesk bug, please report it.",
    ),
    42001: ErrorInfo(
        _T,
        "访问凭证已过期，将自动重新获取。",
        "The access token expired; it will be renewed automatically.",
    ),
    42009: ErrorInfo(
        _T,
        "第三方应用凭证（suite_access_token）已过期，将自动重新获取。",
        "The suite access token expired; it will be renewed automatically.",
    ),
    45009: ErrorInfo(
        ErrorKind.RATE_LIMITED,
        "接口调用超过企业微信频率限制，需暂停至少 1 分钟；若反复出现，可能被限制 1 小时，"
        "请稍后再试或降低调用频率。",
        "WeCom's call frequency limit was exceeded; calls pause for at least a minute. If it "
        "keeps happening the API may be blocked for an hour; try later or lower the rate.",
    ),
    45029: ErrorInfo(
        _I,
        "返回数据过大，请按部门分批查询。",
        "The response would be too large; query department by department.",
    ),
    45033: ErrorInfo(
        ErrorKind.CONCURRENCY,
        "同时进行的接口调用过多，请降低并发数后重试。",
        "Too many concurrent calls; lower the concurrency and try again.",
    ),
    48002: ErrorInfo(
        _C,
        "该应用无权调用此接口：请管理员在「客户联系 → API → 可调用接口的应用」中添加本应用。",
        "This app may not call the API: an admin must add it under Customer Contact → API → "
        "apps that can call the API.",
    ),
    48009: ErrorInfo(
        _C,
        "通讯录同步 Secret 不能从新的 IP 读取成员详情，请改用自建应用的 Secret 或配置可信 IP。",
        "The contacts-sync secret may not read member details from a new IP; use the "
        "self-built app's secret or configure a trusted IP.",
    ),
    50002: ErrorInfo(
        _P,
        "该成员不在应用的可见范围内，请管理员调整应用可见范围。",
        "The member is outside the app's visible range; an admin must widen it.",
    ),
    60011: ErrorInfo(
        _P,
        "没有该成员、部门或标签的操作权限，请管理员调整应用可见范围。",
        "No permission for this member, department or tag; an admin must widen the app's "
        "visible range.",
    ),
    60020: ErrorInfo(
        _C,
        "本机 IP 不在应用的企业可信 IP 列表中：请管理员在应用设置中添加，或在配置中改用固定 IP "
        "的中转地址。",
        "This computer's IP is not in the app's trusted IP list: an admin must add it, or "
        "set the profile's API base to a relay with a fixed IP.",
    ),
    60111: ErrorInfo(
        _P,
        "成员账号（UserID）不存在，请确认该成员仍在企业中并重新同步。",
        "The member UserID does not exist; check the member is still in the corp and sync.",
    ),
    81011: ErrorInfo(
        _P,
        "无权修改此标签：应用只能修改或删除自己创建的标签（管理后台或其他应用创建的标签为只读）。",
        "No permission for this tag: an app may only edit or delete tags it created "
        "(tags made in the admin console or by another app are read-only).",
    ),
    84061: ErrorInfo(
        _P,
        "该成员与客户之间已没有好友关系（已删除或未通过验证）。",
        "This member and the customer are no longer connected (deleted or never accepted).",
    ),
    84074: ErrorInfo(
        _C,
        "应用没有客户联系权限：请管理员在「客户联系 → API → 可调用接口的应用」中添加本应用。",
        "The app has no customer-contact permission: an admin must add it under Customer "
        "Contact → API → apps that can call the API.",
    ),
    84084: ErrorInfo(
        _P,
        "该客户已不是此成员的客户（关系已解除），请重新同步。",
        "The customer is no longer this member's customer; sync again.",
    ),
    # Beyond §11: general codes these endpoints also answer.
    40008: ErrorInfo(
        _I,
        "消息类型不合法，这是 TagDesk 的缺陷，请反馈。",
        "Invalid message type; this is a TagDesk bug, please report it.",
    ),
    40056: ErrorInfo(
        _C,
        "应用ID（AgentId）不合法，请在配置中核对应用的 AgentId。",
        "Invalid AgentId; check the app's AgentId in the profile.",
    ),
    43001: ErrorInfo(
        _I,
        "该接口需要 GET 请求，这是 TagDesk 的缺陷，请反馈。",
        "This API requires GET; this is a TagDesk bug, please report it.",
    ),
    43002: ErrorInfo(
        _I,
        "该接口需要 POST 请求，这是 TagDesk 的缺陷，请反馈。",
        "This API requires POST; this is a TagDesk bug, please report it.",
    ),
    44004: ErrorInfo(
        _P,
        "消息内容为空，请填写内容后再发送。",
        "The message content is empty; write something before sending.",
    ),
    45002: ErrorInfo(
        _P,
        "消息内容过长，请缩短后再发送。",
        "The message content is too long; shorten it and send again.",
    ),
    47001: ErrorInfo(
        _I,
        "请求数据格式错误，这是 TagDesk 的缺陷，请反馈。",
        "The request data is malformed; this is a TagDesk bug, please report it.",
    ),
    60123: ErrorInfo(
        _P,
        "部门ID无效，该部门可能已被删除，请重新同步。",
        "Invalid department ID; the department may have been deleted; sync again.",
    ),
    81013: ErrorInfo(
        _P,
        "接收人全部无效（成员、部门和标签都不在应用可见范围内）。",
        "Every recipient is invalid (no member, department or tag in the app's visible range).",
    ),
}

# TagDesk's own codes, answered only by a TagDesk team server (never by WeCom itself), in a
# range WeCom does not use. The desktop's client reads them like any other errcode.
TEAM_NOT_LOGGED_IN = 9001001
TEAM_TOKEN_REVOKED = 9001002
TEAM_CODE_WRONG = 9001003
TEAM_CODE_EXPIRED = 9001004
TEAM_TOO_MANY_ATTEMPTS = 9001005
# Governance (team mode only): the errmsg is the server's own sentence, "中文 / English",
# naming the rule and who may do it; the desktop shows it as it is.
TEAM_NOT_ALLOWED = 9001010
TEAM_APPROVAL_REQUIRED = 9001011
TEAM_APPROVAL_REFUSED = 9001012
# A team request that cannot be carried out as sent (no such team rule, a bad rule); the
# errmsg is the server's sentence, as above.
TEAM_REQUEST_REFUSED = 9001013
# A write the server decided on (a rule run, an expiry, a reconciliation) for a relation
# whose last mark_tag is still unsettled: WeCom's answer was lost and the outbox has not yet
# found out whether it applied. Tried again by the job's next run.
TEAM_CALL_UNSETTLED = 9001014
SENTENCE_CODES = frozenset({TEAM_NOT_ALLOWED, TEAM_APPROVAL_REQUIRED, TEAM_APPROVAL_REFUSED,
                            TEAM_REQUEST_REFUSED, TEAM_CALL_UNSETTLED})

ERROR_TABLE.update({
    TEAM_NOT_LOGGED_IN: ErrorInfo(
        _C,
        "尚未登录团队服务器，或登录已失效：请运行 tagdesk login --profile 配置名 重新登录。",
        "Not logged in to the team server, or the login is no longer valid: run "
        "`tagdesk login --profile NAME`.",
    ),
    TEAM_TOKEN_REVOKED: ErrorInfo(
        _C,
        "管理员已撤销这台设备的登录：请运行 tagdesk login --profile 配置名 重新登录。",
        "An administrator revoked this device's login: run `tagdesk login --profile NAME` "
        "to log in again.",
    ),
    TEAM_CODE_WRONG: ErrorInfo(
        _P,
        "验证码不正确，请核对企业微信消息中的 6 位数字后重试。",
        "The login code is wrong; check the six digits in the WeCom message and try again.",
    ),
    TEAM_CODE_EXPIRED: ErrorInfo(
        _P,
        "验证码已过期或已使用（5 分钟内有效，只能用一次），请重新登录以获取新的验证码。",
        "The login code expired or was already used (codes last 5 minutes and work once); "
        "log in again to get a new one.",
    ),
    TEAM_TOO_MANY_ATTEMPTS: ErrorInfo(
        _C,
        "登录尝试次数过多，请 15 分钟后再试。",
        "Too many login attempts; try again in 15 minutes.",
    ),
})

# 40001 on gettoken means the secret itself is wrong (or was reset), not an expired token.
# The command stands with a placeholder for the profile (配置名 / NAME); the CLI puts the
# command's own profile in its place (SECRET_COMMANDS).
SECRET_COMMANDS = ("tagdesk profile add 配置名", "tagdesk profile add NAME")
_GETTOKEN_OVERRIDES: dict[int, ErrorInfo] = {
    40001: ErrorInfo(
        _C,
        "应用 Secret 不正确或已重置：请在管理后台「应用管理」中查看 Secret，再用 echo \"$SECRET\""
        f" | {SECRET_COMMANDS[0]} --secret-stdin 重新存入配置（其余设置不变）；"
        "已打开的 TagDesk 窗口回到前台时即改用它。",
        "The app secret is wrong or was reset: look it up in the admin console (App Management)"
        f" and store it in the profile again with echo \"$SECRET\" | {SECRET_COMMANDS[1]}"
        " --secret-stdin (its other settings stay); a TagDesk window that is open uses it once"
        " it is back in front.",
    ),
}


def describe(errcode: int, path: str, errmsg: str = "") -> ErrorInfo:
    """Kind and advice for an errcode returned by ``path``; unknown codes quote ``errmsg``."""
    if path == GETTOKEN_PATH and errcode in _GETTOKEN_OVERRIDES:
        return _GETTOKEN_OVERRIDES[errcode]
    if errcode in SENTENCE_CODES:       # the server's sentence, each half shown as it is
        zh, en = half(errmsg, english=False).strip(), half(errmsg, english=True).strip()
        return ErrorInfo(_P, zh or "团队服务器拒绝了这项操作。",
                         en or "The team server refused this change.")
    info = ERROR_TABLE.get(errcode)
    if info is not None:
        return info
    detail = errmsg.split(", hint:")[0].strip() or "-"
    return ErrorInfo(
        ErrorKind.UNKNOWN,
        f"企业微信返回了未知错误：{detail}",
        f"WeCom returned an unknown error: {detail}",
    )
