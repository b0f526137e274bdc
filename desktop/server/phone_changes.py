"""Changes made on phones and in WeCom's console, as one part of a server process: the
callback receiver (when a Token and EncodingAESKey are given), its worker, and the periodic
re-sync as a scheduled job (unless its interval is 0)."""

from __future__ import annotations

import logging

from desktop.domain.callback_crypto import CallbackCrypto
from desktop.server.app import TeamServer
from desktop.server.callback_worker import CallbackWorker
from desktop.server.callbacks import PATH, CallbackReceiver
from desktop.server.jobs import Job
from desktop.server.resync import Resync

log = logging.getLogger("tagdesk.server")


class PhoneChanges:
    def __init__(self, team: TeamServer, callback_token: str, callback_aes_key: str,
                 resync_interval_s: float) -> None:
        self.worker = CallbackWorker(team.connection, team.transport,
                                     on_library=team.relay.learn_tag_names,
                                     on_contact=team.contact_added)
        self.receiver = None
        if callback_token:
            crypto = CallbackCrypto(callback_token, callback_aes_key, team.settings.corp_id)
            self.receiver = CallbackReceiver(team.connection, crypto, team.settings.corp_id,
                                             self.worker.wake)
        resync = Resync(team.connection, team.transport, team.relay.learn_tag_names)
        self.jobs = [Job("resync", resync_interval_s, resync.run)] if resync_interval_s > 0 else []

    def start(self) -> None:
        self.worker.start()
        if self.receiver is None:
            log.info("callbacks off (no --callback-token / --callback-aes-key)")
        else:
            log.info("callbacks on at %s", PATH)

    def stop(self) -> None:
        self.worker.stop()
