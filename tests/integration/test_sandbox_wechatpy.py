"""A third-party SDK (wechatpy) works against the sandbox unchanged.

wechatpy hard-codes the gettoken URL, so the client below only re-points that one URL at
`API_BASE_URL`; every other call, the body encoding and the token-refresh retry are the
SDK's own code.
"""

from __future__ import annotations

from typing import Any

import pytest
from wechatpy.enterprise import WeChatClient
from wechatpy.exceptions import APILimitedException, WeChatClientException

from desktop.sandbox import SandboxServer


class SandboxWeChatClient(WeChatClient):
    def fetch_access_token(self) -> Any:
        return self._fetch_access_token(
            url=self.API_BASE_URL + "gettoken",
            params={"corpid": self.corp_id, "corpsecret": self.secret},
        )


@pytest.fixture
def client(sandbox: SandboxServer) -> SandboxWeChatClient:
    client = SandboxWeChatClient(sandbox.corp_id, sandbox.secret)
    client.API_BASE_URL = sandbox.api_base
    return client


def test_wechatpy_reads_tags_members_and_customers(
    client: SandboxWeChatClient, sandbox: SandboxServer
) -> None:
    assert client.access_token
    groups = client.external_contact.get_corp_tag_list()["tag_group"]
    assert "客户等级" in {g["group_name"] for g in groups}
    followers = client.external_contact.get_follow_user_list()["follow_user"]
    assert followers == sandbox.state.follow_users()
    page = client.post(
        "externalcontact/batch/get_by_user", data={"userid_list": followers, "limit": 100}
    )
    first = page["external_contact_list"][0]
    external_userid = first["external_contact"]["external_userid"]
    detail = client.external_contact.get(external_userid)
    assert detail["external_contact"]["name"] == first["external_contact"]["name"]
    assert first["follow_info"]["userid"] in {f["userid"] for f in detail["follow_user"]}
    assert [d["name"] for d in client.department.get()][:3] == ["总部", "市场部", "运营部"]
    assert {u["userid"] for u in client.user.list(1, fetch_child=True)} >= set(followers)


def test_wechatpy_writes_tags_with_chinese_names(
    client: SandboxWeChatClient, sandbox: SandboxServer
) -> None:
    created = client.external_contact.add_corp_tag(None, "渠道来源", None, [{"name": "视频号"}])
    tag_id = created["tag_group"]["tag"][0]["id"]
    assert sandbox.state.find_tag("渠道来源", "视频号") == tag_id
    client.external_contact.edit_corp_tag(tag_id, "视频号直播", None)
    userid, external_userid = sandbox.state.relations()[0]
    client.external_contact.mark_tag(userid, external_userid, add_tag=[tag_id])
    assert tag_id in sandbox.state.relation_tag_ids(userid, external_userid)
    with pytest.raises(WeChatClientException) as bad:
        client.external_contact.mark_tag(userid, external_userid, add_tag=["etNOPE"])
    assert bad.value.errcode == 40068
    sent = client.message.send_text(sandbox.agent_id, [userid], "标签已更新")
    assert sent["invaliduser"] == ""


def test_wechatpy_refreshes_an_expired_token_by_itself(
    client: SandboxWeChatClient, sandbox: SandboxServer
) -> None:
    old = client.access_token
    sandbox.expire_tokens()
    assert client.external_contact.get_follow_user_list()["follow_user"]
    assert client.access_token != old
    assert sandbox.stats.errors(42001) == 1
    assert sandbox.stats.calls("gettoken") == 2


def test_wechatpy_sees_45009_as_api_limited(
    client: SandboxWeChatClient, sandbox: SandboxServer
) -> None:
    sandbox.configure(quota_per_min=1, quota_block_s=30)
    client.external_contact.get_follow_user_list()
    with pytest.raises(APILimitedException):
        client.external_contact.get_follow_user_list()
