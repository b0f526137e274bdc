"""WXBizMsgCrypt: the official test vector, round trips, and every way a callback is refused."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from desktop.domain.callback_crypto import (
    CallbackCrypto,
    CallbackRefused,
    CallbackSettingsError,
    Refusal,
)
from desktop.domain.callback_xml import MalformedXml, parse_flat_xml, to_xml

# shared/wecom-api.md §7.2: the official sample, decrypted and re-signed.
TOKEN = "QDG6eK"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
RECEIVE_ID = "wx5823bf96d3bd56c7"
TIMESTAMP, NONCE = "1409659589", "263014780"
ECHOSTR = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
SIGNATURE = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"


@pytest.fixture
def crypto() -> CallbackCrypto:
    return CallbackCrypto(TOKEN, AES_KEY, RECEIVE_ID)


def test_the_official_vector_verifies_and_decrypts(crypto: CallbackCrypto) -> None:
    assert crypto.signature(TIMESTAMP, NONCE, ECHOSTR) == SIGNATURE
    assert crypto.verify_url(SIGNATURE, TIMESTAMP, NONCE, ECHOSTR) == "1616140317555161061"


def test_a_sealed_message_opens_with_the_same_settings(crypto: CallbackCrypto) -> None:
    event = to_xml({"ToUserName": RECEIVE_ID, "CreateTime": 1409659813, "UserID": "张三]]>x"})
    signature, body = crypto.seal_message(event, TIMESTAMP, NONCE, agent_id=1000002)
    envelope = parse_flat_xml(body)
    assert envelope["ToUserName"] == RECEIVE_ID and envelope["AgentID"] == "1000002"
    opened = crypto.open_message(signature, TIMESTAMP, NONCE, body)
    assert opened == event
    assert parse_flat_xml(opened)["UserID"] == "张三]]>x"


def test_plaintext_is_padded_to_whole_32_byte_blocks(crypto: CallbackCrypto) -> None:
    for size in (0, 1, 11, 12, 13, 44, 100):
        sealed = base64.b64decode(crypto.encrypt("x" * size))
        assert len(sealed) % 32 == 0
        assert crypto.decrypt(base64.b64encode(sealed).decode()) == "x" * size


def test_a_wrong_signature_is_refused(crypto: CallbackCrypto) -> None:
    with pytest.raises(CallbackRefused) as refused:
        crypto.verify_url("0" * 40, TIMESTAMP, NONCE, ECHOSTR)
    assert refused.value.reason is Refusal.BAD_SIGNATURE
    other_token = CallbackCrypto("Another1", AES_KEY, RECEIVE_ID)
    signature, body = other_token.seal_message("<xml/>", TIMESTAMP, NONCE, agent_id=None)
    with pytest.raises(CallbackRefused) as refused:
        crypto.open_message(signature, TIMESTAMP, NONCE, body)
    assert refused.value.reason is Refusal.BAD_SIGNATURE
    with pytest.raises(CallbackRefused):  # the timestamp is signed too
        crypto.verify_url(SIGNATURE, "1409659590", NONCE, ECHOSTR)


def test_another_corps_message_is_refused() -> None:
    theirs = CallbackCrypto(TOKEN, AES_KEY, "wwOTHERCORP")
    with pytest.raises(CallbackRefused) as refused:
        theirs.verify_url(SIGNATURE, TIMESTAMP, NONCE, ECHOSTR)
    assert refused.value.reason is Refusal.UNKNOWN_CORP
    assert "another corp" in str(refused.value)


def _raw_encrypt(plain: bytes) -> str:
    key = base64.b64decode(AES_KEY + "=")
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


@pytest.mark.parametrize("plain", [
    b"\x00" * 31 + b"\x21",            # pad byte 33 > 32
    b"\x00" * 31 + b"\x00",            # pad byte 0
    b"\x00" * 28 + b"\x01\x02\x03\x04",  # pad 4 but the bytes before it differ
    b"\x1c" * 32,                      # a valid pad leaving fewer than 20 bytes
    bytes(16) + b"\x00\x00\x10\x00" + b"\x0c" * 12,  # length beyond the message
], ids=["pad-too-big", "pad-zero", "pad-uneven", "too-short", "bad-length"])
def test_bad_padding_or_layout_is_refused(crypto: CallbackCrypto, plain: bytes) -> None:
    with pytest.raises(CallbackRefused) as refused:
        crypto.decrypt(_raw_encrypt(plain))
    assert refused.value.reason is Refusal.MALFORMED


@pytest.mark.parametrize("encrypt", ["not base64!", "", "AAAA"])
def test_text_that_is_no_ciphertext_is_refused(crypto: CallbackCrypto, encrypt: str) -> None:
    with pytest.raises(CallbackRefused) as refused:
        crypto.decrypt(encrypt)
    assert refused.value.reason is Refusal.MALFORMED


@pytest.mark.parametrize("body", [
    b"not xml", b"<other><Encrypt>x</Encrypt></other>", b"<xml><AgentID>1</AgentID></xml>",
    b'<!DOCTYPE xml [<!ENTITY e "x">]><xml><Encrypt>&e;</Encrypt></xml>',
])
def test_a_body_without_a_readable_envelope_is_refused(crypto: CallbackCrypto,
                                                        body: bytes) -> None:
    with pytest.raises(CallbackRefused) as refused:
        crypto.open_message(SIGNATURE, TIMESTAMP, NONCE, body)
    assert refused.value.reason is Refusal.MALFORMED


def test_doctype_never_reaches_the_parser() -> None:
    with pytest.raises(MalformedXml):
        parse_flat_xml(b'<?xml version="1.0"?><!doctype xml SYSTEM "file:///etc/passwd"><xml/>')


@pytest.mark.parametrize(("token", "key"), [
    ("", AES_KEY), ("x" * 33, AES_KEY), ("has space", AES_KEY), (TOKEN, AES_KEY[:42]),
    (TOKEN, AES_KEY + "A"), (TOKEN, AES_KEY[:42] + "*"),
])
def test_settings_the_console_would_not_accept_are_refused(token: str, key: str) -> None:
    with pytest.raises(CallbackSettingsError):
        CallbackCrypto(token, key, RECEIVE_ID)
