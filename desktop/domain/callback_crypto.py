"""WeCom's callback encryption (WXBizMsgCrypt), both sides: the team server opens what WeCom
sends, the sandbox seals what it sends as WeCom.

The console's `Token` signs: `msg_signature = sha1(sorted(token, timestamp, nonce, encrypt))`
in lowercase hex. The `EncodingAESKey` (43 characters) is `base64(key)` without its "=":
AES-256-CBC with IV = the key's first 16 bytes, PKCS#7 padded to a multiple of 32 bytes.
The plaintext is 16 random bytes, the message length (4 bytes, big-endian), the message
and the receive id (the corp id for a self-built app), which is checked on opening.
Pure computation, no I/O: the domain layer, so the sandbox and the server share it.
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import hmac
import os
import re
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from desktop.domain.callback_xml import MalformedXml, parse_flat_xml, to_xml
from desktop.domain.errors import UserError

BLOCK = 32
_TOKEN = re.compile(r"[A-Za-z0-9]{1,32}")
_AES_KEY = re.compile(r"[A-Za-z0-9+/]{43}")


class Refusal(enum.Enum):
    """Why a callback was not accepted."""

    BAD_SIGNATURE = "bad signature"
    UNKNOWN_CORP = "unknown corp"
    MALFORMED = "malformed message"


class CallbackRefused(UserError):
    """A callback that did not come from WeCom for this corp, or cannot be read."""

    def __init__(self, reason: Refusal) -> None:
        texts = {
            Refusal.BAD_SIGNATURE: ("回调签名不符", "the callback's signature does not match"),
            Refusal.UNKNOWN_CORP: ("回调属于其他企业", "the callback is for another corp"),
            Refusal.MALFORMED: ("回调内容无法解读", "the callback cannot be read"),
        }
        zh, en = texts[reason]
        super().__init__(zh, en)
        self.reason = reason


class CallbackSettingsError(UserError):
    """A Token or EncodingAESKey that WeCom's console would not accept."""


def check_settings(token: str, encoding_aes_key: str) -> None:
    """Raises CallbackSettingsError unless both look like what WeCom's console issues."""
    if not _TOKEN.fullmatch(token):
        raise CallbackSettingsError(
            "回调 Token 须是 1 到 32 个英文字母或数字。",
            "The callback Token must be 1 to 32 letters or digits.",
        )
    if not _AES_KEY.fullmatch(encoding_aes_key):
        raise CallbackSettingsError(
            "回调 EncodingAESKey 须是 43 个字符（英文字母、数字、+ 或 /）。",
            "The callback EncodingAESKey must be 43 characters (letters, digits, + or /).",
        )


class CallbackCrypto:
    def __init__(self, token: str, encoding_aes_key: str, receive_id: str) -> None:
        check_settings(token, encoding_aes_key)
        self._token = token
        try:
            self._key = base64.b64decode(encoding_aes_key + "=", validate=True)
        except binascii.Error:
            raise CallbackSettingsError(
                "回调 EncodingAESKey 不是有效的 Base64。",
                "The callback EncodingAESKey is not valid Base64.",
            ) from None
        self._receive_id = receive_id.encode("utf-8")

    def signature(self, timestamp: str, nonce: str, encrypt: str) -> str:
        joined = "".join(sorted((self._token, timestamp, nonce, encrypt)))
        return hashlib.sha1(joined.encode("utf-8")).hexdigest()

    def encrypt(self, message: str) -> str:
        data = message.encode("utf-8")
        plain = os.urandom(16) + struct.pack(">I", len(data)) + data + self._receive_id
        pad = BLOCK - len(plain) % BLOCK
        plain += bytes([pad]) * pad
        encryptor = self._cipher().encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode("ascii")

    def decrypt(self, encrypt: str) -> str:
        """The message inside `encrypt`; refuses bad padding, a bad layout or another corp."""
        try:
            sealed = base64.b64decode(encrypt, validate=True)
        except binascii.Error:
            raise CallbackRefused(Refusal.MALFORMED) from None
        if not sealed or len(sealed) % 16:
            raise CallbackRefused(Refusal.MALFORMED)
        decryptor = self._cipher().decryptor()
        plain = decryptor.update(sealed) + decryptor.finalize()
        pad = plain[-1]
        if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad:
            raise CallbackRefused(Refusal.MALFORMED)
        plain = plain[:-pad]
        if len(plain) < 20:
            raise CallbackRefused(Refusal.MALFORMED)
        (length,) = struct.unpack(">I", plain[16:20])
        message, receive_id = plain[20 : 20 + length], plain[20 + length :]
        if len(message) != length:
            raise CallbackRefused(Refusal.MALFORMED)
        if not hmac.compare_digest(receive_id, self._receive_id):
            raise CallbackRefused(Refusal.UNKNOWN_CORP)
        try:
            return message.decode("utf-8")
        except UnicodeDecodeError:
            raise CallbackRefused(Refusal.MALFORMED) from None

    def verify_url(self, msg_signature: str, timestamp: str, nonce: str, echostr: str) -> str:
        """The console's URL check: the plaintext of `echostr`, to be answered bare."""
        self._check_signature(msg_signature, timestamp, nonce, echostr)
        return self.decrypt(echostr)

    def open_message(self, msg_signature: str, timestamp: str, nonce: str, body: bytes) -> str:
        """The event XML inside a callback POST body."""
        try:
            envelope = parse_flat_xml(body)
        except MalformedXml:
            raise CallbackRefused(Refusal.MALFORMED) from None
        encrypt = envelope.get("Encrypt", "")
        if not encrypt:
            raise CallbackRefused(Refusal.MALFORMED)
        self._check_signature(msg_signature, timestamp, nonce, encrypt)
        return self.decrypt(encrypt)

    def seal_message(self, message: str, timestamp: str, nonce: str,
                     agent_id: int | None) -> tuple[str, bytes]:
        """(msg_signature, POST body) for `message`, as WeCom sends it."""
        encrypt = self.encrypt(message)
        envelope = {"ToUserName": self._receive_id.decode("utf-8"),
                    "AgentID": "" if agent_id is None else str(agent_id), "Encrypt": encrypt}
        return self.signature(timestamp, nonce, encrypt), to_xml(envelope).encode("utf-8")

    def _check_signature(self, msg_signature: str, timestamp: str, nonce: str,
                         encrypt: str) -> None:
        expected = self.signature(timestamp, nonce, encrypt)
        if not hmac.compare_digest(expected.encode("ascii"),
                                   msg_signature.lower().encode("utf-8", "replace")):
            raise CallbackRefused(Refusal.BAD_SIGNATURE)

    def _cipher(self) -> Cipher[modes.CBC]:
        return Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16]))
