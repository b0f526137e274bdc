"""Corp secrets in the OS keyring, and nowhere else.

This is the only module that imports `keyring`. The standard
`PYTHON_KEYRING_BACKEND` variable chooses another backend (tests use a file one).
"""

from __future__ import annotations

import keyring
import keyring.errors
from keyring.backends import fail

from desktop.domain.errors import UserError

SERVICE = "TagDesk"


class SecretStoreUnavailable(UserError):
    def __init__(self, detail: str = "") -> None:
        suffix = f" ({detail})" if detail else ""
        super().__init__(
            "没有可用的系统钥匙串，无法安全保存企业微信 Secret。请在 Windows 使用凭据管理器、"
            "在 macOS 使用钥匙串、在 Linux 安装并解锁 gnome-keyring 或 KWallet；"
            "或用 PYTHON_KEYRING_BACKEND 指定一个 keyring 后端。" + suffix,
            "No usable system keyring, so the WeCom secret cannot be stored safely. Use the"
            " Windows Credential Manager or the macOS Keychain; on Linux install and unlock"
            " gnome-keyring or KWallet, or choose a keyring backend with PYTHON_KEYRING_BACKEND."
            + suffix,
        )


class SecretMissing(UserError):
    def __init__(self, profile: str) -> None:
        super().__init__(
            f"钥匙串中没有配置 {profile} 的 Secret，请运行 tagdesk profile add {profile} --secret-stdin …",
            f"The keyring holds no secret for profile {profile}; run"
            f" `tagdesk profile add {profile} --secret-stdin …`.",
        )


def _account(profile: str, corp_id: str, user: str = "") -> str:
    """The keyring entry: a corp secret per profile and corp; a team device token per user
    too, so two homes on one computer with a profile of the same name (two people at one
    desk) never log each other out, nor write under each other's name."""
    return f"{profile}@{corp_id}#{user}" if user else f"{profile}@{corp_id}"


def _backend() -> keyring.backend.KeyringBackend:
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        raise SecretStoreUnavailable(type(backend).__name__)
    return backend


def store_secret(profile: str, corp_id: str, secret: str, *, user: str = "") -> None:
    try:
        _backend().set_password(SERVICE, _account(profile, corp_id, user), secret)
    except keyring.errors.KeyringError as exc:
        raise SecretStoreUnavailable(type(exc).__name__) from None


def load_secret(profile: str, corp_id: str, *, user: str = "") -> str:
    try:
        secret = _backend().get_password(SERVICE, _account(profile, corp_id, user))
    except keyring.errors.KeyringError as exc:
        raise SecretStoreUnavailable(type(exc).__name__) from None
    if not secret:
        raise SecretMissing(profile)
    return secret


def delete_secret(profile: str, corp_id: str, *, user: str = "") -> None:
    try:
        _backend().delete_password(SERVICE, _account(profile, corp_id, user))
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as exc:
        raise SecretStoreUnavailable(type(exc).__name__) from None
