<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AbbreviationDialog</name>
    <message>
        <source>Abbreviation</source>
        <translation>缩写</translation>
    </message>
    <message>
        <source>e.g. V3; empty removes it</source>
        <translation>例如 V3；留空即删除</translation>
    </message>
    <message>
        <source>Shared with the whole team; type it in any tag search.</source>
        <translation>全团队共享；可在任何标签搜索中输入。</translation>
    </message>
</context>
<context>
    <name>AdoptDialog</name>
    <message>
        <source>Adopt tag group</source>
        <translation>收编标签组</translation>
    </message>
    <message>
        <source>WeCom lets only the app that created a group change it. Adopting re-creates the group &quot;%1&quot; under TagDesk&apos;s app with the same tags, and moves every customer onto them as one batch you can undo. WeCom keeps group names unique, so the new group needs another name while the old one exists.</source>
        <translation>企业微信只允许创建标签组的应用修改它。收编会在本应用下重建标签组「%1」及其全部标签，并把所有客户作为一个可撤销的批量任务迁移过去。企业微信要求标签组名唯一，旧组存在期间新组需要另起一个名字。</translation>
    </message>
    <message>
        <source>New group</source>
        <translation>新标签组</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>For the administrators, when the adoption needs their approval</source>
        <translation>需要管理员批准时，写给管理员看</translation>
    </message>
    <message>
        <source>Adopt</source>
        <translation>收编</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>%1 (%2 to create), %3 carry them: %4 in all, about %5.</source>
        <translation>%1（新建 %2 个），%3带有它们：共 %4，约 %5。</translation>
    </message>
    <message>
        <source>WeCom has not refused an edit of this group yet; if this app owns it, edit it directly instead.</source>
        <translation>企业微信尚未拒绝过对该组的修改；如果它本就归本应用所有，直接编辑即可。</translation>
    </message>
    <message>
        <source>Not every customer was moved; retry or continue the batch, then adopt again.</source>
        <translation>并非所有客户都已迁移；请重试或继续该批量任务，然后再次收编。</translation>
    </message>
    <message>
        <source>Adopted: every customer is on &quot;%1&quot;. An admin deletes the old group &quot;%2&quot; in the WeCom admin console; then the new group can be renamed back.</source>
        <translation>收编完成：所有客户已在「%1」上。请管理员在企业微信管理后台删除旧组「%2」，之后可把新组改回原名。</translation>
    </message>
</context>
<context>
    <name>AppContext</name>
    <message>
        <source>Waiting for the writes before it to finish (a batch being sent holds them until its last call); it starts as soon as they are done.</source>
        <translation>正在等待之前的写入完成（正在发送的批次要到最后一次调用才结束），完成后立即开始。</translation>
    </message>
    <message numerus="yes">
        <source>Remove %1 from %2 customer(s)</source>
        <translation>
            <numerusform>为 %2 位客户移除 %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Add %1 to %2 customer(s)</source>
        <translation>
            <numerusform>为 %2 位客户添加 %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Removed %1 from %2 customer(s)</source>
        <translation>
            <numerusform>已为 %2 位客户移除 %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Added %1 to %2 customer(s)</source>
        <translation>
            <numerusform>已为 %2 位客户添加 %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ApprovalsDialog</name>
    <message>
        <source>Approvals and team policy</source>
        <translation>审批与团队策略</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Send approval code</source>
        <translation>发送审批验证码</translation>
    </message>
    <message>
        <source>Six digits from the WeCom message</source>
        <translation>企业微信消息中的 6 位数字</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Why it is rejected</source>
        <translation>驳回理由</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <source>Restore and re-tag</source>
        <translation>恢复并重新打标签</translation>
    </message>
    <message>
        <source>Withdraw request</source>
        <translation>撤回申请</translation>
    </message>
    <message>
        <source>Save policy</source>
        <translation>保存策略</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>申请</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>Decided by</source>
        <translation>决定人</translation>
    </message>
    <message>
        <source>Why requested</source>
        <translation>申请理由</translation>
    </message>
    <message>
        <source>Reading from the team server…</source>
        <translation>正在读取团队服务器…</translation>
    </message>
    <message>
        <source>Asking the team server to send you an approval code…</source>
        <translation>正在请团队服务器给你发送审批验证码…</translation>
    </message>
    <message>
        <source>Approving request %1…</source>
        <translation>正在批准申请 %1…</translation>
    </message>
    <message>
        <source>Request %1 was approved and carried out.</source>
        <translation>申请 %1 已批准并执行。</translation>
    </message>
    <message>
        <source>Request %1 was rejected; the requester is told.</source>
        <translation>申请 %1 已驳回，已通知申请人。</translation>
    </message>
    <message>
        <source>Restored %1 and re-tagged %2.</source>
        <translation>已恢复 %1，并重新标记 %2。</translation>
    </message>
    <message>
        <source>Withdraw request %1 (%2)? The administrators will no longer see it; to make this change later, send a new request.</source>
        <translation>撤回申请 %1（%2）？管理员将不再看到这项申请；以后仍要做这项修改，请重新提交申请。</translation>
    </message>
    <message>
        <source>Request %1 was withdrawn.</source>
        <translation>申请 %1 已撤回。</translation>
    </message>
    <message numerus="yes">
        <source>%1 requests waiting for a decision.</source>
        <translation>
            <numerusform>%1 个申请等待处理。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of your requests waiting for an administrator.</source>
        <translation>
            <numerusform>你的申请中有 %1 个等待管理员处理。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (%2, %3)</source>
        <translation>%1（%2，%3）</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>已撤回</translation>
    </message>
    <message>
        <source>You are %1 (%2), managing %3.</source>
        <translation>你是 %1（%2），管理 %3。</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>department head</source>
        <translation>部门负责人</translation>
    </message>
    <message>
        <source>branch administrator</source>
        <translation>分公司管理员</translation>
    </message>
    <message>
        <source>member</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>The team policy was saved.</source>
        <translation>团队策略已保存。</translation>
    </message>
    <message>
        <source>Delete tag</source>
        <translation>删除标签</translation>
    </message>
    <message>
        <source>Delete group</source>
        <translation>删除标签组</translation>
    </message>
    <message>
        <source>Rename tag</source>
        <translation>重命名标签</translation>
    </message>
    <message>
        <source>Adopt group</source>
        <translation>收编标签组</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>待审批</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>Closed: the tag is gone</source>
        <translation>已关闭：标签已不存在</translation>
    </message>
    <message>
        <source>Failed when carried out</source>
        <translation>执行失败</translation>
    </message>
    <message>
        <source>You are %1 (%2).</source>
        <translation>你是 %1（%2）。</translation>
    </message>
    <message>
        <source>An approval code was sent to you through WeCom; it is valid for %1 minutes.</source>
        <translation>审批验证码已通过企业微信发给你，%1 分钟内有效。</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Requester</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户数</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>ArrivalsDialog</name>
    <message>
        <source>Live codes and pre-tags</source>
        <translation>活码与预打标签</translation>
    </message>
    <message>
        <source>Customers added through a live code get its tags, and a pre-tag tags its person once they are added: after each sync (in team mode the team server tags live codes&apos; customers at once).</source>
        <translation>通过活码添加的客户会获得它的标签，预打标签会在其对象成为客户后为其打标签：每次同步后执行（团队模式下由团队服务器即时为活码客户打标签）。</translation>
    </message>
    <message>
        <source>State, e.g. expo2026</source>
        <translation>渠道标识，例如 expo2026</translation>
    </message>
    <message>
        <source>Members&apos; userids, separated by ,</source>
        <translation>成员 userid，用逗号分隔</translation>
    </message>
    <message>
        <source>Tags for its customers (group:name), separated by ,</source>
        <translation>新客户的标签（组:名），用逗号分隔</translation>
    </message>
    <message>
        <source>Create live code</source>
        <translation>创建活码</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Live codes</source>
        <translation>活码</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Pre-tags</source>
        <translation>预打标签</translation>
    </message>
    <message>
        <source>State</source>
        <translation>渠道标识</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Tagged</source>
        <translation>已打标</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Code id</source>
        <translation>活码编号</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>有效至</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批量任务</translation>
    </message>
    <message>
        <source>Cancel pre-tag</source>
        <translation>取消预打标签</translation>
    </message>
    <message>
        <source>%1 (department)</source>
        <translation>%1（部门）</translation>
    </message>
    <message>
        <source>Live code %1 changed.</source>
        <translation>活码 %1 已修改。</translation>
    </message>
    <message>
        <source>Remove live code</source>
        <translation>删除活码</translation>
    </message>
    <message>
        <source>Delete the live code %1 in WeCom? Its QR code stops working and customers who add through it are no longer tagged.</source>
        <translation>要在企业微信中删除活码 %1 吗？它的二维码将失效，之后通过它添加的客户也不再打标签。</translation>
    </message>
    <message>
        <source>Live code %1 removed.</source>
        <translation>活码 %1 已删除。</translation>
    </message>
    <message>
        <source>Customer id</source>
        <translation>客户 ID</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>applied</source>
        <translation>已打上</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Live code %1 created.</source>
        <translation>已创建活码 %1。</translation>
    </message>
</context>
<context>
    <name>AudienceBar</name>
    <message>
        <source>and</source>
        <translation>且</translation>
    </message>
    <message>
        <source>%1:</source>
        <translation>%1：</translation>
    </message>
    <message>
        <source>or</source>
        <translation>或</translation>
    </message>
    <message>
        <source>Remove %1 from the audience</source>
        <translation>从受众中移除 %1</translation>
    </message>
    <message>
        <source>Audience:</source>
        <translation>群发受众：</translation>
    </message>
    <message>
        <source>Tags of one group are joined with OR, groups with AND, as in WeCom&apos;s mass messaging.</source>
        <translation>同一标签组内的标签之间为“或”，不同标签组之间为“且”，与企业微信群发一致。</translation>
    </message>
    <message>
        <source>Click tags in the tree: OR within a group, AND across groups, as WeCom&apos;s mass messaging picks customers.</source>
        <translation>在左侧标签树中点击标签：同组为“或”，跨组为“且”，与企业微信群发选客户的方式一致。</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Clear the audience</source>
        <translation>清空受众</translation>
    </message>
</context>
<context>
    <name>AuditBatchesModel</name>
    <message>
        <source>Last change</source>
        <translation>最近更改</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Operators</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>更改数</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>添加数</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>移除数</translation>
    </message>
    <message>
        <source>Tree edits</source>
        <translation>标签树编辑</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>%1 · not in a batch</source>
        <translation>%1 · 非批次操作</translation>
    </message>
</context>
<context>
    <name>AuditFilterBar</name>
    <message>
        <source>All time</source>
        <translation>全部时间</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>最近 24 小时</translation>
    </message>
    <message>
        <source>Last %1 days</source>
        <translation>最近 %1 天</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>自定义时间段</translation>
    </message>
    <message>
        <source>All operators</source>
        <translation>所有操作人</translation>
    </message>
    <message>
        <source>Also changes seen at sync on their relations</source>
        <translation>含其客户关系上同步时发现的变更</translation>
    </message>
    <message>
        <source>WeCom does not say who made a change seen at sync; with this, an operator also matches those on relations they follow (the probable operator)</source>
        <translation>企业微信不提供同步时发现的变更由谁所做；勾选后，操作人也匹配其跟进的客户关系上的此类变更（可能的操作人）</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>所有部门</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>所有操作</translation>
    </message>
    <message>
        <source>All sources</source>
        <translation>所有来源</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>所有标签</translation>
    </message>
    <message>
        <source>All groups</source>
        <translation>所有标签组</translation>
    </message>
    <message>
        <source>Customer name or external_userid</source>
        <translation>客户名称或 external_userid</translation>
    </message>
    <message>
        <source>Batch id</source>
        <translation>批次 ID</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>时间段</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>标签组</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批次</translation>
    </message>
</context>
<context>
    <name>AuditRowsModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>标签组</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>(row %1 is missing: run the journal check)</source>
        <translation>（第 %1 行缺失：请运行日志校验）</translation>
    </message>
</context>
<context>
    <name>AuditViewer</name>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>明细</translation>
    </message>
    <message>
        <source>Batches</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Show every batch again</source>
        <translation>重新显示所有批次</translation>
    </message>
    <message>
        <source>Show customer</source>
        <translation>查看客户</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Export xlsx…</source>
        <translation>导出 xlsx…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Revert batch…</source>
        <translation>回滚批次…</translation>
    </message>
    <message>
        <source>Revert operator&apos;s changes in period…</source>
        <translation>回滚该操作人在时间段内的更改…</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在查询…</translation>
    </message>
    <message>
        <source>Only: %1</source>
        <translation>仅：%1</translation>
    </message>
    <message numerus="yes">
        <source>%1 changes · %2 ms</source>
        <translation>
            <numerusform>%1 条更改 · %2 毫秒</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 batches</source>
        <translation>
            <numerusform>%1 个批次</numerusform>
        </translation>
    </message>
    <message>
        <source>Undone by batch %1 · %2</source>
        <translation>已由批次 %1 撤销 · %2</translation>
    </message>
    <message>
        <source>Redone by batch %1 · %2</source>
        <translation>已由批次 %1 重做 · %2</translation>
    </message>
    <message>
        <source>Reverted by batch %1 · %2</source>
        <translation>已由批次 %1 回滚 · %2</translation>
    </message>
    <message numerus="yes">
        <source>Exported %1 rows to %2</source>
        <translation>
            <numerusform>已导出 %1 行到 %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>标签组</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation>未更改</translation>
    </message>
    <message>
        <source>%1 · not in a batch</source>
        <translation>%1 · 非批次操作</translation>
    </message>
    <message>
        <source>Export the audit log</source>
        <translation>导出审计日志</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Preparing the revert…</source>
        <translation>正在准备回滚…</translation>
    </message>
    <message>
        <source>Revert %1</source>
        <translation>回滚 %1</translation>
    </message>
    <message>
        <source>Revert %1: the pilot is through (%2 restored); continue or cancel the rest in its window</source>
        <translation>回滚 %1：试运行已完成（已恢复 %2）；请在其进度窗口中继续或取消其余部分</translation>
    </message>
    <message>
        <source>Revert %1: %2 restored, %3 failed, %4 still queued</source>
        <translation>回滚 %1：已恢复 %2，失败 %3，仍在排队 %4</translation>
    </message>
    <message>
        <source>Reverting…</source>
        <translation>正在回滚…</translation>
    </message>
</context>
<context>
    <name>AutoTagReviewWindow</name>
    <message>
        <source>Choose a time window and press Simulate: nothing is written until you start.</source>
        <translation>选择时间范围并点击“模拟”：点击“开始”之前不会写入任何内容。</translation>
    </message>
    <message numerus="yes">
        <source>%1 chat messages stored. Choose a time window and press Simulate: nothing is written until you start.</source>
        <translation>
            <numerusform>已保存 %1 条聊天消息。选择时间范围并点击“模拟”：点击“开始”之前不会写入任何内容。</numerusform>
        </translation>
    </message>
    <message>
        <source>No chats yet: import a chat file (JSONL or CSV) first.</source>
        <translation>还没有聊天记录：请先导入聊天文件（JSONL 或 CSV）。</translation>
    </message>
    <message>
        <source>Auto-tagging from chats</source>
        <translation>从聊天自动打标</translation>
    </message>
    <message>
        <source>Messages from</source>
        <translation>消息时间从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Tags (empty: every tag with keywords)</source>
        <translation>标签（留空：所有设置了关键词的标签）</translation>
    </message>
    <message>
        <source>Min. confidence</source>
        <translation>最低置信度</translation>
    </message>
    <message>
        <source>Also read what members sent</source>
        <translation>也分析成员发出的消息</translation>
    </message>
    <message>
        <source>Simulate</source>
        <translation>模拟</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Import chats…</source>
        <translation>导入聊天记录…</translation>
    </message>
    <message>
        <source>Keywords…</source>
        <translation>关键词…</translation>
    </message>
    <message>
        <source>Import the valid lines</source>
        <translation>只导入有效行</translation>
    </message>
    <message>
        <source>Accept (A)</source>
        <translation>接受 (A)</translation>
    </message>
    <message>
        <source>Reject (R)</source>
        <translation>拒绝 (R)</translation>
    </message>
    <message>
        <source>Accept all shown</source>
        <translation>接受全部显示的建议</translation>
    </message>
    <message>
        <source>Reject all shown</source>
        <translation>拒绝全部显示的建议</translation>
    </message>
    <message>
        <source>Accepts the suggestions shown that are not decided yet; accepted, rejected and reverted ones keep their verdict</source>
        <translation>接受显示的建议中尚未审阅的；已接受、已拒绝和已回滚的保持原样</translation>
    </message>
    <message>
        <source>Rejects the suggestions shown that are not decided yet; accepted, rejected and reverted ones keep their verdict</source>
        <translation>拒绝显示的建议中尚未审阅的；已接受、已拒绝和已回滚的保持原样</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>所有标签</translation>
    </message>
    <message>
        <source>Preview accepted</source>
        <translation>预览已接受的建议</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>The time window ends before it starts: choose a first day on or before %1.</source>
        <translation>时间范围的结束早于开始：请选择不晚于 %1 的开始日期。</translation>
    </message>
    <message>
        <source>Reading the chats…</source>
        <translation>正在分析聊天记录…</translation>
    </message>
    <message>
        <source>nothing learnt from your tags yet: no customer has it confirmed (%1 against it kept until one has)</source>
        <translation>尚未从本企业的标签学习：还没有客户确认有此标签（已记下 %1作为反例，待有客户确认后使用）</translation>
    </message>
    <message>
        <source>Every suggestion shown is decided already: to change some, select them and press A or R.</source>
        <translation>显示的建议都已审阅：要更改，请选中后按 A 或 R。</translation>
    </message>
    <message>
        <source>%1 accepted · %2 rejected · %3 reverted · %4 open</source>
        <translation>已接受 %1 · 已拒绝 %2 · 已回滚 %3 · 待审阅 %4</translation>
    </message>
    <message>
        <source>%1 accepted · %2 rejected · %4 open</source>
        <translation>已接受 %1 · 已拒绝 %2 · 待审阅 %4</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; to tag (%2) · %3 already tagged · %4 left out for exclusive tags · about %5</source>
        <translation>将为 &lt;b&gt;%1&lt;/b&gt;打标（%2）· %3 个已有该标签 · %4 个因互斥标签被排除 · 约需 %5</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; to tag (%2) · %3 already tagged · about %5</source>
        <translation>将为 &lt;b&gt;%1&lt;/b&gt;打标（%2）· %3 个已有该标签 · 约需 %5</translation>
    </message>
    <message>
        <source>+ %1: %2</source>
        <translation>+ %1：%2</translation>
    </message>
    <message>
        <source>%1: %2, nothing was imported. Fix them, or import the valid ones (%3).</source>
        <translation>%1：%2，没有导入任何内容。请修改后重新导入，或只导入有效的 %3。</translation>
    </message>
    <message>
        <source>%1: %2 stored on the team server, %3 already stored, %4.</source>
        <translation>%1：%2已保存到团队服务器，%3 条此前已保存，%4。</translation>
    </message>
    <message>
        <source>%1: %2 stored on the team server, %3 already stored.</source>
        <translation>%1：%2已保存到团队服务器，%3 条此前已保存。</translation>
    </message>
    <message>
        <source>%1: %2 stored on the team server, %4.</source>
        <translation>%1：%2已保存到团队服务器，%4。</translation>
    </message>
    <message>
        <source>%1: %2 stored on the team server.</source>
        <translation>%1：%2已保存到团队服务器。</translation>
    </message>
    <message>
        <source>%1: %2 stored, %3 already stored, %4.</source>
        <translation>%1：已保存 %2，%3 条此前已保存，%4。</translation>
    </message>
    <message>
        <source>%1: %2 stored, %3 already stored.</source>
        <translation>%1：已保存 %2，%3 条此前已保存。</translation>
    </message>
    <message>
        <source>%1: %2 stored, %4.</source>
        <translation>%1：已保存 %2，%4。</translation>
    </message>
    <message>
        <source>%1: %2 stored.</source>
        <translation>%1：已保存 %2。</translation>
    </message>
    <message numerus="yes">
        <source>…and %1 more</source>
        <translation>
            <numerusform>…另有 %1 行</numerusform>
        </translation>
    </message>
    <message>
        <source>The table below is the simulation from before this import: press Simulate to include the new messages.</source>
        <translation>下表是本次导入之前的模拟结果：再点击“模拟”即可包含新导入的消息。</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; from %2 · &lt;b&gt;%3&lt;/b&gt;, %4 would add a tag · %5 of reviews and confirmed tags used for training</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;，来自 %2 · &lt;b&gt;%3&lt;/b&gt;，其中 %4 条会新增标签 · 审阅和已确认标签的 %5用作训练数据</translation>
    </message>
    <message numerus="yes">
        <source>%1 customer messages</source>
        <translation>
            <numerusform>%1 条客户消息</numerusform>
        </translation>
    </message>
    <message>
        <source>trained on %1 for it (%2 with a confirmed tag, %3 by accepted suggestions) and %4 against</source>
        <translation>学习了有此标签的 %1（%2 位标签已确认，%3 位来自接受的建议）和 %4 位反例</translation>
    </message>
    <message>
        <source>nothing learnt from your tags yet: no customer has it confirmed</source>
        <translation>尚未从本企业的标签学习：还没有客户确认有此标签</translation>
    </message>
    <message>
        <source>%1: %2, %3 would add, %4 already tagged · %5</source>
        <translation>%1：%2，%3 个会新增，%4 个已有该标签 · %5</translation>
    </message>
    <message>
        <source>Import chats</source>
        <translation>导入聊天记录</translation>
    </message>
    <message>
        <source>Chats (*.jsonl *.csv)</source>
        <translation>聊天记录 (*.jsonl *.csv)</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>正在导入 %1…</translation>
    </message>
</context>
<context>
    <name>BadRowsDialog</name>
    <message>
        <source>Rows that cannot be read</source>
        <translation>读不了的行</translation>
    </message>
    <message>
        <source>%1 of the file cannot be read and nothing was queued. Fix them and import again, or skip them and queue the good ones (%2).</source>
        <translation>文件中有 %1读不了，什么都没有加入。修正后重新导入，或跳过它们、只加入正确的 %2。</translation>
    </message>
    <message numerus="yes">
        <source>Skip them, queue %1 rows</source>
        <translation>
            <numerusform>跳过它们，加入 %1 行</numerusform>
        </translation>
    </message>
    <message>
        <source>Line</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
</context>
<context>
    <name>BatchProgressDialog</name>
    <message>
        <source>Tag batch</source>
        <translation>批量打标签</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>BatchProgressPanel</name>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message numerus="yes">
        <source>Cancelled: %1 calls were not sent.</source>
        <translation>
            <numerusform>已取消：%1 个调用未发送。</numerusform>
        </translation>
    </message>
    <message>
        <source>Continue with the rest</source>
        <translation>继续处理其余部分</translation>
    </message>
    <message>
        <source>Cancel batch</source>
        <translation>取消批次</translation>
    </message>
    <message>
        <source>Retry failed</source>
        <translation>重试失败项</translation>
    </message>
    <message>
        <source>Show them in the table</source>
        <translation>在表格中显示</translation>
    </message>
    <message>
        <source>Filter the customer table to the relations this batch has written so far</source>
        <translation>把客户表格筛选为本批次已写入的跟进关系</translation>
    </message>
    <message>
        <source>Batch %1 · %2</source>
        <translation>批次 %1 · %2</translation>
    </message>
    <message>
        <source>Cancelling after the calls in flight…</source>
        <translation>正在取消（等待进行中的调用完成）…</translation>
    </message>
    <message>
        <source>Running the pilot…</source>
        <translation>正在试运行…</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>正在运行…</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Paused: calls in flight finish, nothing new is sent.</source>
        <translation>已暂停：进行中的调用会完成，不再发送新的调用。</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <source>Stopped: %1 The rest stays queued; continue when the cause is fixed.</source>
        <translation>已停止：%1 其余部分仍在队列中；问题解决后可继续。</translation>
    </message>
    <message>
        <source>Pilot finished. Check these customers in the table or on the phone, then continue with the remaining %1 or cancel.</source>
        <translation>试运行完成。请在表格或手机上检查这些客户，然后继续处理其余 %1 个或取消。</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Cancelled: the remaining calls will not be sent.</source>
        <translation>已取消：其余调用不会发送。</translation>
    </message>
    <message>
        <source>%1 of %2 applied · %3 failed · %4 skipped · %5 pending · %6 in %7 s (%8 of %9 calls/min)</source>
        <translation>已应用 %1 / %2 · 失败 %3 · 跳过 %4 · 待处理 %5 · %6，用时 %7 秒（%8 / %9 次/分）</translation>
    </message>
    <message>
        <source>%1 of %2 applied · %3 failed · %4 not sent</source>
        <translation>已应用 %1 / %2 · 失败 %3 · 未发送 %4</translation>
    </message>
    <message>
        <source>Batch %1 waits after its pilot: %2 not sent yet. Tags → Unfinished batches… continues or cancels it.</source>
        <translation>批次 %1 试运行后等待继续：%2尚未发送。在 标签 → 未完成的批次… 中继续或取消。</translation>
    </message>
</context>
<context>
    <name>BigToggleDialog</name>
    <message>
        <source>Tag many customers</source>
        <translation>确认批量修改标签</translation>
    </message>
    <message numerus="yes">
        <source>Remove %1 from %2 customer(s)? That is %2 WeCom call(s), one per customer.</source>
        <translation>
            <numerusform>为 %2 位客户移除 %1？这需要调用企业微信 %2 次，每位客户一次。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Add %1 to %2 customer(s)? That is %2 WeCom call(s), one per customer.</source>
        <translation>
            <numerusform>为 %2 位客户添加 %1？这需要调用企业微信 %2 次，每位客户一次。</numerusform>
        </translation>
    </message>
    <message>
        <source>Preview in Retag…</source>
        <translation>在批量重标中预览…</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>BranchGroupDialog</name>
    <message>
        <source>New branch tag group</source>
        <translation>新建分公司标签组</translation>
    </message>
    <message>
        <source>Branch department</source>
        <translation>分公司部门</translation>
    </message>
    <message>
        <source>WeCom shows the group&apos;s tags only to this department&apos;s members; its head manages the rule group</source>
        <translation>企业微信只向这个部门的成员显示该组的标签；规则组由部门负责人管理</translation>
    </message>
</context>
<context>
    <name>ChoiceEditor</name>
    <message>
        <source>is</source>
        <translation>是</translation>
    </message>
</context>
<context>
    <name>CompareEditor</name>
    <message>
        <source>(and …)</source>
        <translation>（并且 …）</translation>
    </message>
</context>
<context>
    <name>ConditionTree</name>
    <message>
        <source>Condition</source>
        <translation>条件</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Add condition</source>
        <translation>添加条件</translation>
    </message>
    <message>
        <source>Add group</source>
        <translation>添加组</translation>
    </message>
    <message>
        <source>Remove (Del)</source>
        <translation>删除（Del）</translation>
    </message>
    <message>
        <source>Removes the selected row and what it holds</source>
        <translation>删除选中的行及其包含的条件</translation>
    </message>
</context>
<context>
    <name>ConnectionDialog</name>
    <message>
        <source>Connection settings</source>
        <translation>连接设置</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Team server</source>
        <translation>团队服务器</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>登录状态</translation>
    </message>
    <message>
        <source>Corp ID</source>
        <translation>企业 ID</translation>
    </message>
    <message>
        <source>API base</source>
        <translation>接口地址</translation>
    </message>
    <message>
        <source>App secret</source>
        <translation>应用 Secret</translation>
    </message>
    <message>
        <source>New secret</source>
        <translation>新的 Secret</translation>
    </message>
    <message>
        <source>The app secret (Secret) is kept in the operating system&apos;s keyring only. After it was reset in the admin console (App Management → this app), enter the new one: TagDesk tries it with WeCom first and stores it when WeCom accepts it. A new API base (a relay with a fixed IP) is tried the same way before it is saved.</source>
        <translation>应用 Secret 只保存在操作系统的钥匙串中。在管理后台（应用管理 → 本应用）重置 Secret 后，请在这里输入新的 Secret：TagDesk 先向企业微信验证，企业微信接受后才保存。新的 API 地址（固定 IP 的中转地址）也先这样验证，再保存。</translation>
    </message>
    <message>
        <source>This is a team profile: the WeCom app secret lives on the team server, which calls WeCom for every desktop. This computer keeps only its login to the server; an administrator changes the secret on the server.</source>
        <translation>这是团队配置：企业微信应用 Secret 保存在团队服务器上，由服务器为所有桌面调用企业微信。本机只保存登录服务器的凭据；Secret 由管理员在服务器上更换。</translation>
    </message>
    <message>
        <source>The demo corp runs in a sandbox on this computer and needs no app secret.</source>
        <translation>演示企业运行在本机的沙盒中，不需要应用 Secret。</translation>
    </message>
    <message>
        <source>Paste the secret from the admin console</source>
        <translation>粘贴管理后台中的 Secret</translation>
    </message>
    <message>
        <source>WeCom&apos;s address, or a relay with a fixed IP when this computer&apos;s IP is not trusted (60020)</source>
        <translation>企业微信的地址；本机 IP 不受信任（60020）时，填固定 IP 的中转地址</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Show or hide the secret you typed</source>
        <translation>显示或隐藏输入的 Secret</translation>
    </message>
    <message>
        <source>Test and save</source>
        <translation>验证并保存</translation>
    </message>
    <message>
        <source>Save anyway</source>
        <translation>仍然保存</translation>
    </message>
    <message>
        <source>Store this secret without WeCom&apos;s approval, e.g. while this computer&apos;s IP is not yet trusted</source>
        <translation>不经企业微信验证就保存这个 Secret，例如本机 IP 尚未加入可信 IP 时</translation>
    </message>
    <message>
        <source>Cancel test</source>
        <translation>取消验证</translation>
    </message>
    <message>
        <source>Log in to the team server…</source>
        <translation>登录团队服务器…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>The secret stored meanwhile from the command line is in use now.</source>
        <translation>已改用刚从命令行存入的 Secret。</translation>
    </message>
    <message>
        <source>Reading the keyring…</source>
        <translation>正在读取钥匙串…</translation>
    </message>
    <message>
        <source>Stored in the OS keyring, but WeCom refuses it: enter the new one below</source>
        <translation>已存入系统钥匙串，但企业微信已拒绝它：请在下方输入新的 Secret</translation>
    </message>
    <message>
        <source>Stored in the OS keyring (not shown)</source>
        <translation>已存入系统钥匙串（不显示）</translation>
    </message>
    <message>
        <source>Not stored: enter it below</source>
        <translation>未保存：请在下面输入</translation>
    </message>
    <message>
        <source>Logged in as %1</source>
        <translation>已登录：%1</translation>
    </message>
    <message>
        <source>Not logged in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>Enter the new secret first.</source>
        <translation>请先输入新的 Secret。</translation>
    </message>
    <message>
        <source>Asking WeCom (%1) whether it takes this secret…</source>
        <translation>正在向企业微信（%1）验证这个 Secret…</translation>
    </message>
    <message>
        <source>The API base must be an http(s) address, such as https://qyapi.weixin.qq.com/cgi-bin/ or a relay&apos;s.</source>
        <translation>API 地址须是 http(s) 网址，例如 https://qyapi.weixin.qq.com/cgi-bin/ 或中转服务的地址。</translation>
    </message>
    <message>
        <source>Test cancelled; nothing was stored.</source>
        <translation>已取消验证，未保存任何内容。</translation>
    </message>
    <message>
        <source>Storing the secret in the OS keyring…</source>
        <translation>正在把 Secret 存入系统钥匙串…</translation>
    </message>
    <message>
        <source>Saving the API base…</source>
        <translation>正在保存 API 地址…</translation>
    </message>
    <message>
        <source>Nothing was stored.</source>
        <translation>未保存任何内容。</translation>
    </message>
    <message>
        <source>WeCom does not accept this secret (errcode %1): copy it again from the admin console, App Management → this app → Secret.</source>
        <translation>企业微信不接受这个 Secret（errcode %1）：请在管理后台「应用管理 → 本应用 → Secret」中重新复制。</translation>
    </message>
    <message>
        <source>This computer&apos;s IP is not in the app&apos;s trusted IP list (errcode 60020): an administrator adds it in the app&apos;s settings, or enter a relay with a fixed IP as the API base. If the secret is right, “Save anyway” keeps it.</source>
        <translation>本机 IP 不在应用的企业可信 IP 列表中（errcode 60020）：请管理员在应用设置中添加，或在上面的 API 地址中填入固定 IP 的中转地址。如果 Secret 没有错，可按「仍然保存」保存它。</translation>
    </message>
    <message>
        <source>This computer&apos;s IP, %1 as WeCom sees it, is not in the app&apos;s trusted IP list (errcode 60020): an administrator adds it in the app&apos;s settings, or enter a relay with a fixed IP as the API base. If the secret is right, “Save anyway” keeps it.</source>
        <translation>企业微信看到的本机 IP 是 %1，它不在应用的企业可信 IP 列表中（errcode 60020）：请管理员在应用设置中添加，或在上面的 API 地址中填入固定 IP 的中转地址。如果 Secret 没有错，可按「仍然保存」保存它。</translation>
    </message>
    <message>
        <source>The keyring holds no secret for this profile: enter it with the new API base.</source>
        <translation>钥匙串中没有这个配置的 Secret：请连同新的 API 地址一起输入。</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>TagDesk – unexpected error</source>
        <translation>TagDesk – 意外错误</translation>
    </message>
    <message>
        <source>Tag changes already queued are safe: they stay in the outbox, keep being sent, and anything left unsent is offered for resuming at the next start.</source>
        <translation>已排队的标签更改是安全的：它们保存在发件箱中并继续发送，未发送的部分会在下次启动时提示继续。</translation>
    </message>
    <message>
        <source>no log file</source>
        <translation>无日志文件</translation>
    </message>
    <message>
        <source>Log file: %1</source>
        <translation>日志文件：%1</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>复制详情</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
    <message numerus="yes">
        <source>%1 errors; the latest: %2</source>
        <translation>
            <numerusform>%1 个错误；最近一个：%2</numerusform>
        </translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>CrashHandler</name>
    <message>
        <source>TagDesk ran into an unexpected error.</source>
        <translation>TagDesk 遇到了意外错误。</translation>
    </message>
    <message>
        <source>TagDesk closed unexpectedly last time.</source>
        <translation>TagDesk 上次意外关闭。</translation>
    </message>
    <message>
        <source>Qt or Python stopped the program; this is what it was doing.</source>
        <translation>Qt 或 Python 终止了程序；以下是当时正在执行的内容。</translation>
    </message>
</context>
<context>
    <name>CreateGroupDialog</name>
    <message>
        <source>New tag group in %1</source>
        <translation>在 %1 中新建标签组</translation>
    </message>
    <message>
        <source>New tag group</source>
        <translation>新建标签组</translation>
    </message>
    <message>
        <source>Group name</source>
        <translation>标签组名称</translation>
    </message>
    <message>
        <source>First tag</source>
        <translation>第一个标签</translation>
    </message>
</context>
<context>
    <name>CreateTagDialog</name>
    <message>
        <source>New tag</source>
        <translation>新建标签</translation>
    </message>
    <message>
        <source>Name, or a path such as 教育/K12</source>
        <translation>名称，或路径如 教育/K12</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>标签组</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Create a tag group first.</source>
        <translation>请先创建一个标签组。</translation>
    </message>
    <message>
        <source>Type a name after “%1/” for a tag under it, or clear the field for a tag beside it.</source>
        <translation>在「%1/」后输入名称，新标签就建在它下面；清空则新建与它同级的标签。</translation>
    </message>
</context>
<context>
    <name>CustomerTableModel</name>
    <message>
        <source>Corp tags on this follow relation</source>
        <translation>此跟进关系上的企业标签</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>公司</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>添加时间</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>(no longer in the cache)</source>
        <translation>（已不在本地缓存中）</translation>
    </message>
    <message>
        <source>Tagging failed: %1</source>
        <translation>打标签失败：%1</translation>
    </message>
    <message>
        <source>Writing to WeCom…</source>
        <translation>正在写入企业微信…</translation>
    </message>
    <message>
        <source>Saved in WeCom</source>
        <translation>已保存到企业微信</translation>
    </message>
</context>
<context>
    <name>DeletedTagsDialog</name>
    <message>
        <source>Deleted tags</source>
        <translation>已删除的标签</translation>
    </message>
    <message>
        <source>Before a tag is deleted, TagDesk keeps the customer relations that carried it. Restoring re-creates the tag (WeCom gives it a new id) and tags those relations again, as one batch that can be undone.</source>
        <translation>删除标签之前，TagDesk 会记下带有该标签的客户关系。恢复会重新创建标签（企业微信会给它新的编号），并把这些客户关系重新打上，作为一个可撤销的批量任务。</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>删除时间</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>标签组</translation>
    </message>
    <message>
        <source>Relations</source>
        <translation>关系数</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>No tag has been deleted yet.</source>
        <translation>还没有删除过标签。</translation>
    </message>
    <message>
        <source>Choose a deleted tag to see what restoring it would do.</source>
        <translation>选择一个已删除的标签，查看恢复它会做什么。</translation>
    </message>
    <message>
        <source>restored as %1</source>
        <translation>已恢复为 %1</translation>
    </message>
    <message>
        <source>can be restored</source>
        <translation>可恢复</translation>
    </message>
    <message>
        <source>Already restored as %1 (batch %2).</source>
        <translation>已恢复为 %1（批次 %2）。</translation>
    </message>
    <message>
        <source>「%1」 exists again in its group; restoring tags %2 with it.</source>
        <translation>标签组里已重新有「%1」；恢复会用它为 %2 重新打标签。</translation>
    </message>
    <message>
        <source>Restoring re-creates 「%1」 and tags %2 with it again.</source>
        <translation>恢复会重新创建「%1」，并为 %2 重新打上。</translation>
    </message>
    <message numerus="yes">
        <source> %1 relations gone since (customer deleted or follower changed) will be skipped.</source>
        <translation>
            <numerusform>另有 %1 个客户关系已不存在（客户被删除或跟进人变更），将跳过。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DeletionRequestDialog</name>
    <message>
        <source>Why delete it (optional, shown to the administrators)</source>
        <translation>为什么删除（可选，管理员审批时可见）</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>申请理由：</translation>
    </message>
    <message>
        <source>Send request</source>
        <translation>提交申请</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <source>No customer selected</source>
        <translation>未选择客户</translation>
    </message>
    <message>
        <source>Select a row to see the customer here.</source>
        <translation>选择一行即可在此查看客户详情。</translation>
    </message>
    <message>
        <source>Customer ID</source>
        <translation>客户 ID</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copied %1</source>
        <translation>已复制 %1</translation>
    </message>
    <message>
        <source>WeChat user</source>
        <translation>微信用户</translation>
    </message>
    <message>
        <source>WeCom user</source>
        <translation>企业微信用户</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>公司</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>职位</translation>
    </message>
    <message>
        <source>Followed by</source>
        <translation>跟进人</translation>
    </message>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation>
            <numerusform>%n 位成员</numerusform>
        </translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>添加时间</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>no corp tags</source>
        <translation>无企业标签</translation>
    </message>
    <message>
        <source>Personal tags</source>
        <translation>个人标签</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>Loading personal tags from WeCom…</source>
        <translation>正在从企业微信加载个人标签…</translation>
    </message>
    <message>
        <source>Load personal tags from WeCom</source>
        <translation>从企业微信加载个人标签</translation>
    </message>
    <message>
        <source>Recent changes</source>
        <translation>最近变更</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>No changes recorded yet.</source>
        <translation>暂无变更记录。</translation>
    </message>
    <message>
        <source>Behaviour events</source>
        <translation>行为事件</translation>
    </message>
    <message>
        <source>No behaviour events.</source>
        <translation>没有行为事件。</translation>
    </message>
    <message>
        <source>Added</source>
        <comment>a recent change</comment>
        <translation>添加</translation>
    </message>
    <message>
        <source>Removed</source>
        <comment>a recent change</comment>
        <translation>移除</translation>
    </message>
</context>
<context>
    <name>EventDaysEditor</name>
    <message>
        <source>event types (empty: any)</source>
        <translation>事件类型（留空：任意）</translation>
    </message>
</context>
<context>
    <name>EventEditor</name>
    <message>
        <source>happened</source>
        <translation>发生过</translation>
    </message>
    <message>
        <source>event types (empty: any)</source>
        <translation>事件类型（留空：任意）</translation>
    </message>
    <message>
        <source>any time</source>
        <translation>任意时间</translation>
    </message>
    <message>
        <source>within </source>
        <translation>最近 </translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天内</translation>
    </message>
    <message>
        <source>times </source>
        <translation>次数 </translation>
    </message>
    <message>
        <source>(any value)</source>
        <translation>（任意金额）</translation>
    </message>
</context>
<context>
    <name>EventTableModel</name>
    <message>
        <source>file import</source>
        <translation>文件导入</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>员工</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>金额/数值</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
</context>
<context>
    <name>EventsBrowser</name>
    <message>
        <source>Behaviour events</source>
        <translation>行为事件</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>external_userid, Enter to apply</source>
        <translation>客户 external_userid，回车应用</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation>取消导出</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Per type per day</source>
        <translation>按类型按天</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Reading events…</source>
        <translation>正在读取事件…</translation>
    </message>
    <message numerus="yes">
        <source>%1 events match: %2</source>
        <translation>
            <numerusform>共 %1 个事件符合：%2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %1 events to %2</source>
        <translation>
            <numerusform>已导出 %1 个事件到 %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Export events</source>
        <translation>导出行为事件</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV (*.csv)</translation>
    </message>
    <message>
        <source>Exporting to %1… %2</source>
        <translation>正在导出到 %1… %2</translation>
    </message>
</context>
<context>
    <name>EventsDialog</name>
    <message>
        <source>Import events</source>
        <translation>导入行为事件</translation>
    </message>
    <message>
        <source>Behaviour events (a form submitted, content viewed, an order paid, a course attended) from a CSV or JSONL file, for rule conditions. Every line is checked first; with bad lines nothing is stored until you import the valid ones.</source>
        <translation>从 CSV 或 JSONL 文件导入行为事件（提交表单、浏览内容、支付订单、参加课程），供规则条件使用。每一行都会先检查；有问题的行时，在您选择导入有效行之前不会保存任何事件。</translation>
    </message>
    <message>
        <source>a .csv or .jsonl file</source>
        <translation>一个 .csv 或 .jsonl 文件</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Import the valid lines</source>
        <translation>只导入有效行</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Event type</source>
        <translation>事件类型</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>事件数</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Events (*.csv *.jsonl *.ndjson *.json);;All files (*)</source>
        <translation>行为事件 (*.csv *.jsonl *.ndjson *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose an events file first.</source>
        <translation>请先选择行为事件文件。</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>正在导入 %1…</translation>
    </message>
    <message>
        <source>%1: %2, nothing was imported. Fix them, or import the valid ones (%3).</source>
        <translation>%1：%2，没有导入任何事件。请修改后重试，或只导入有效的 %3。</translation>
    </message>
    <message>
        <source>%1 holds no event.</source>
        <translation>%1 中没有事件。</translation>
    </message>
    <message>
        <source>%1: %2 stored, %3 already stored, %4.</source>
        <translation>%1：已保存 %2，%3 个已有，%4。</translation>
    </message>
</context>
<context>
    <name>ExclusiveSetsDialog</name>
    <message>
        <source>Mutually exclusive tags</source>
        <translation>互斥标签</translation>
    </message>
    <message>
        <source>A customer should carry at most one tag of each set. Batches and imports list relations that would break a set as conflicts and skip them; the health report counts customers that already do.</source>
        <translation>每位客户最多只能带同一组中的一个标签。批量任务和导入会把违反互斥规则的关系列为冲突并跳过；健康报告会统计已经违反的客户。</translation>
    </message>
    <message>
        <source>e.g. 成交状态</source>
        <translation>例如 成交状态</translation>
    </message>
    <message>
        <source>tag names separated by commas, e.g. 已成交, 无效客户</source>
        <translation>用逗号分隔标签名，例如 已成交, 无效客户</translation>
    </message>
    <message>
        <source>Add set</source>
        <translation>添加互斥组</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <translation>删除所选</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
</context>
<context>
    <name>ExpiringTagsDialog</name>
    <message>
        <source>Expiring tags</source>
        <translation>到期标签</translation>
    </message>
    <message>
        <source>Tags set to expire, soonest first, as the team server keeps them: added by a team rule with an expiry, by the retag dialog&apos;s Expires field or the command tagdesk expiry set. The team server removes each when it runs out, even while this app is closed, as a batch that can be undone.</source>
        <translation>设置了到期时间的标签（以团队服务器保存的为准），最早到期的在前：来自带到期时间的团队规则、批量改标签窗口的「到期」栏或命令 tagdesk expiry set。到期时由团队服务器移除，即使本应用未打开；移除是一个可撤销的批量任务。</translation>
    </message>
    <message>
        <source>Tags set to expire, soonest first: added by a rule with an expiry, by the retag dialog&apos;s Expires field or the command tagdesk expiry set. A sync removes those that ran out; Remove due now does it at once, as one batch that can be undone.</source>
        <translation>设置了到期时间的标签，最早到期的在前：来自带到期时间的规则、批量改标签窗口的「到期」栏或命令 tagdesk expiry set。同步时会移除已到期的标签；「立即移除到期标签」马上移除，作为一个可撤销的批量任务。</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>Remove due now</source>
        <translation>立即移除到期标签</translation>
    </message>
    <message>
        <source>Change expiry…</source>
        <translation>修改到期时间…</translation>
    </message>
    <message>
        <source>Not up to date: the team server cannot be reached (copy of %1).</source>
        <translation>不是最新：团队服务器无法连接（%1 的副本）。</translation>
    </message>
    <message>
        <source>%1 (due)</source>
        <translation>%1（已到期）</translation>
    </message>
    <message numerus="yes">
        <source>%1 tags set to expire, %2 due now.</source>
        <translation>
            <numerusform>%1 个标签设置了到期时间，%2 个已到期。</numerusform>
        </translation>
    </message>
    <message>
        <source>Removing the tags that ran out…</source>
        <translation>正在移除已到期的标签…</translation>
    </message>
    <message>
        <source>Nothing is due.</source>
        <translation>没有已到期的标签。</translation>
    </message>
    <message numerus="yes">
        <source>Removed %1 expired tags (batch %2, %3 failed).</source>
        <translation>
            <numerusform>已移除 %1 个到期标签（批次 %2，失败 %3）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Change expiry</source>
        <translation>修改到期时间</translation>
    </message>
    <message>
        <source>The selected tags expire after (30d, 12h, 2w):</source>
        <translation>选中的标签在多久后到期（30d、12h、2w；天 / 小时 / 周）：</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export customers</source>
        <translation>导出客户</translation>
    </message>
    <message>
        <source>selection</source>
        <translation>所选</translation>
    </message>
    <message>
        <source>Every row gets the customer&apos;s details and all its tags. Tick the tag groups that should also get a column of their own. Fill in add_tags or remove_tags and import the file to change tags.</source>
        <translation>每一行包含客户详情及其全部标签。勾选需要单独成列的标签组。填写 add_tags 或 remove_tags 后导入该文件即可修改标签。</translation>
    </message>
    <message>
        <source>File (.xlsx)</source>
        <translation>文件（.xlsx）</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message numerus="yes">
        <source>%1 customer relations · %2</source>
        <translation>
            <numerusform>%1 个客户关系 · %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Group columns:</source>
        <translation>标签组列：</translation>
    </message>
    <message>
        <source>Choose a file first.</source>
        <translation>请先选择文件。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Exporting… %1 of %2</source>
        <translation>正在导出… %1 / %2</translation>
    </message>
    <message numerus="yes">
        <source>Exported %1 relations to %2</source>
        <translation>
            <numerusform>已导出 %1 个关系到 %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
</context>
<context>
    <name>FavouritesBar</name>
    <message>
        <source>Pin tags here: drag them from the tree or right-click → Pin</source>
        <translation>在此固定常用标签：从标签树拖入，或右键 → 固定</translation>
    </message>
    <message>
        <source>Favourites</source>
        <translation>常用标签</translation>
    </message>
    <message>
        <source>Suggest these favourites to the team</source>
        <translation>推荐给团队：把这些常用标签设为团队推荐</translation>
    </message>
    <message>
        <source>Your favourites are now the team&apos;s suggestion.</source>
        <translation>你的常用标签已成为团队推荐。</translation>
    </message>
    <message numerus="yes">
        <source>Add the team&apos;s suggested favourites (%n)</source>
        <translation>
            <numerusform>添加团队推荐的常用标签（%n 个）</numerusform>
        </translation>
    </message>
    <message>
        <source>Added the team&apos;s suggested favourites.</source>
        <translation>已添加团队推荐的常用标签。</translation>
    </message>
</context>
<context>
    <name>FavouritesModel</name>
    <message>
        <source>Abbreviation: %1</source>
        <translation>缩写：%1</translation>
    </message>
    <message>
        <source>Click to add or remove it on the selected customers</source>
        <translation>点击为所选客户添加或移除此标签</translation>
    </message>
    <message>
        <source>Alt+%1 or click: add or remove it on the selected customers</source>
        <translation>Alt+%1 或点击：为所选客户添加或移除此标签</translation>
    </message>
    <message>
        <source>Drag to reorder</source>
        <translation>拖动以调整顺序</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Filter, e.g. 高意向 AND NOT 已成交, 客户等级:VIP, owner:zhangsan, added&gt;=2025-01</source>
        <translation>筛选，例如 高意向 AND NOT 已成交、客户等级:VIP、owner:zhangsan、added&gt;=2025-01</translation>
    </message>
    <message>
        <source>Recent filters</source>
        <translation>最近的筛选</translation>
    </message>
    <message>
        <source>Saved filters</source>
        <translation>已保存的筛选</translation>
    </message>
    <message>
        <source>No recent filters</source>
        <translation>暂无最近的筛选</translation>
    </message>
    <message>
        <source>Save current filter…</source>
        <translation>保存当前筛选…</translation>
    </message>
    <message>
        <source>%1 (team)</source>
        <translation>%1（团队）</translation>
    </message>
    <message>
        <source>Delete saved filter</source>
        <translation>删除已保存的筛选</translation>
    </message>
</context>
<context>
    <name>FilterSyntaxDialog</name>
    <message>
        <source>Filter syntax</source>
        <translation>筛选语法</translation>
    </message>
    <message>
        <source>Relations tagged 高意向</source>
        <translation>带有“高意向”标签的客户关系</translation>
    </message>
    <message>
        <source>Both tags (a space means AND)</source>
        <translation>同时带有两个标签（空格表示“且”）</translation>
    </message>
    <message>
        <source>高意向 but not 已流失</source>
        <translation>带有“高意向”但没有“已流失”</translation>
    </message>
    <message>
        <source>The tag VIP of the group 客户等级</source>
        <translation>标签组“客户等级”中的 VIP 标签</translation>
    </message>
    <message>
        <source>Any tag of the group 客户等级 (also written 分组:客户等级)</source>
        <translation>带有标签组“客户等级”中的任一标签（也可写作 分组:客户等级）</translation>
    </message>
    <message>
        <source>教育 and every tag below it, such as 教育/K12</source>
        <translation>“教育”及其下各层标签，如 教育/K12</translation>
    </message>
    <message>
        <source>Either tag, on customers of the member zhangsan (userid or name)</source>
        <translation>带有其中任一标签，且是成员 zhangsan 跟进的客户（成员账号或姓名均可）</translation>
    </message>
    <message>
        <source>Owners in 销售一部 or its sub-departments, added on or after 1 January 2025</source>
        <translation>负责人属于销售一部或其下级部门，且在 2025 年 1 月 1 日当天或之后添加</translation>
    </message>
    <message>
        <source>Not added through either channel</source>
        <translation>不是通过这两个渠道添加的客户</translation>
    </message>
    <message>
        <source>北京 in the customer&apos;s name, company, remark, description or phone</source>
        <translation>客户名称、企业、备注、描述或电话中含有“北京”</translation>
    </message>
    <message>
        <source>Three or more corp tags, added before 30 June 2025</source>
        <translation>带有至少 3 个企业标签，且在 2025 年 6 月 30 日之前添加</translation>
    </message>
    <message>
        <source>Operators: AND (also 且, &amp; or just a space), OR (或, |), NOT (非, - or !). NOT comes first, then AND, then OR; group with parentheses.</source>
        <translation>运算符：且（AND、&amp;，或直接用空格）、或（OR、|）、非（NOT、- 或 !）。先算“非”，再算“且”，最后算“或”；可用括号改变顺序。</translation>
    </message>
    <message>
        <source>Put a name with spaces or operators in quotes: &quot;高 意向&quot; or 「高 意向」.</source>
        <translation>名称中有空格或运算符时请加引号：&quot;高 意向&quot; 或 「高 意向」。</translation>
    </message>
    <message>
        <source>Fields: owner: (负责人:), dept: (部门:), state: (渠道:), text: (搜索:), added (添加时间), before: and after:, tags (标签数).</source>
        <translation>字段：负责人:（owner:）、部门:（dept:）、渠道:（state:）、搜索:（text:）、添加时间（added）、before: 和 after:、标签数（tags）。</translation>
    </message>
    <message>
        <source>A date is a day, a month or a year: 2025-01-31, 2025-01 or 2025; compare with = != &lt; &lt;= &gt; &gt;=.</source>
        <translation>日期可以是某天、某月或某年：2025-01-31、2025-01 或 2025；比较符有 = != &lt; &lt;= &gt; &gt;=。</translation>
    </message>
    <message>
        <source>A mistake is pointed out under the filter bar, at the character where it is; Ctrl+F jumps to the filter bar.</source>
        <translation>写错时，筛选栏下方会指出出错的字符位置；按 Ctrl+F 可跳到筛选栏。</translation>
    </message>
    <message>
        <source>How to write a filter</source>
        <translation>如何编写筛选条件</translation>
    </message>
</context>
<context>
    <name>HealthModel</name>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>发现</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Relations</source>
        <translation>关系数</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>重复</translation>
    </message>
    <message>
        <source>Exclusive conflict</source>
        <translation>互斥冲突</translation>
    </message>
    <message>
        <source>Followers disagree</source>
        <translation>跟进人冲突</translation>
    </message>
    <message>
        <source>Zombie</source>
        <translation>僵尸标签</translation>
    </message>
    <message>
        <source>Risky name</source>
        <translation>风险名称</translation>
    </message>
    <message>
        <source>Too deep</source>
        <translation>层级过深</translation>
    </message>
    <message>
        <source>Personal duplicate</source>
        <translation>个人标签重复</translation>
    </message>
    <message>
        <source>Empty group</source>
        <translation>空标签组</translation>
    </message>
    <message>
        <source>Group near cap</source>
        <translation>标签组将满</translation>
    </message>
    <message>
        <source>Not this app&apos;s</source>
        <translation>非本应用所有</translation>
    </message>
</context>
<context>
    <name>HealthWindow</name>
    <message>
        <source>Tag health</source>
        <translation>标签健康</translation>
    </message>
    <message>
        <source>Zombie after (days)</source>
        <translation>僵尸判定（天）</translation>
    </message>
    <message>
        <source>Corp tag cap</source>
        <translation>企业标签上限</translation>
    </message>
    <message>
        <source>Tags per group</source>
        <translation>每组标签上限</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Filter to these customers</source>
        <translation>筛选这些客户</translation>
    </message>
    <message>
        <source>Select these tags</source>
        <translation>定位这些标签</translation>
    </message>
    <message>
        <source>Migrate…</source>
        <translation>迁移…</translation>
    </message>
    <message>
        <source>Adopt…</source>
        <translation>收编…</translation>
    </message>
    <message>
        <source>Ask WeCom which groups are ours</source>
        <translation>向企业微信确认哪些组归本应用</translation>
    </message>
    <message>
        <source>Checking the tag library…</source>
        <translation>正在检查标签库…</translation>
    </message>
    <message>
        <source>%1 findings.</source>
        <translation>共 %1 项发现。</translation>
    </message>
    <message>
        <source>Asking WeCom which groups this app may change…</source>
        <translation>正在向企业微信确认本应用可以修改哪些标签组…</translation>
    </message>
    <message>
        <source>Exported %1 findings to %2.</source>
        <translation>已导出 %1 项发现到 %2。</translation>
    </message>
    <message>
        <source>Export the health report</source>
        <translation>导出标签健康报告</translation>
    </message>
    <message>
        <source>Only a desktop that sees the whole corp migrates tags: this one holds your own customers only (My customers), and a migration retags every customer of the tag.</source>
        <translation>只有看得到全企业客户的桌面才能迁移标签：这台桌面只有你自己的客户（我的客户），而迁移会给该标签的每位客户重新打标签。</translation>
    </message>
    <message>
        <source>Only a desktop that sees the whole corp adopts tag groups: this one holds your own customers only (My customers).</source>
        <translation>只有看得到全企业客户的桌面才能接管标签组：这台桌面只有你自己的客户（我的客户）。</translation>
    </message>
    <message>
        <source>Only a desktop that sees the whole corp asks WeCom: this one holds your own customers only (My customers), and the question edits every tag group.</source>
        <translation>只有看得到全企业客户的桌面才向企业微信询问：这台桌面只有你自己的客户（我的客户），而询问会编辑每个标签组。</translation>
    </message>
    <message>
        <source>Only an administrator asks WeCom on a team profile: the question edits every tag group, and the team server lets only administrators edit them all.</source>
        <translation>团队配置中只有管理员可以向企业微信确认：这个问题会编辑每个标签组，而团队服务器只允许管理员编辑所有标签组。</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <source>Import tags from a spreadsheet</source>
        <translation>从表格导入标签</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Choose an .xlsx file with the columns external_userid, owner_userid (optional), add_tags and remove_tags. An export of your customers has them all: fill in the tags and import it back. Every row is checked before anything is written.</source>
        <translation>请选择包含 external_userid、owner_userid（可选）、add_tags 和 remove_tags 列的 .xlsx 文件。客户导出文件已包含这些列：填写标签后导入即可。写入前会检查每一行。</translation>
    </message>
    <message>
        <source>Spreadsheet (.xlsx)</source>
        <translation>表格（.xlsx）</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Save the template…</source>
        <translation>保存模板…</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Cancel the check</source>
        <translation>取消检查</translation>
    </message>
    <message>
        <source>Choose a file first.</source>
        <translation>请先选择文件。</translation>
    </message>
    <message>
        <source>Checking every row…</source>
        <translation>正在检查每一行…</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %2 rows checked</source>
        <translation>
            <numerusform>已检查 %1 / %2 行</numerusform>
        </translation>
    </message>
    <message>
        <source>Import spreadsheet</source>
        <translation>导入表格</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;All files (*)</source>
        <translation>Excel 工作簿 (*.xlsx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save the import template</source>
        <translation>保存导入模板</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Template saved: %1</source>
        <translation>模板已保存：%1</translation>
    </message>
    <message numerus="yes">
        <source>%1: all %2 rows are valid.</source>
        <translation>
            <numerusform>%1：全部 %2 行有效。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: no row could be read (%2). Nothing is written.</source>
        <translation>%1：未能读出任何一行（%2）。不会写入任何内容。</translation>
    </message>
    <message>
        <source>%1: %2, %3 valid, %4 with problems (%5). Nothing is written until they are fixed, unless you import only the valid rows.</source>
        <translation>%1：共 %2，%3 行有效，%4 行有问题（%5）。问题修复前不会写入任何内容，除非选择只导入有效的行。</translation>
    </message>
    <message>
        <source>%1: %2, %3 valid, %4 with problems (%5). Nothing is written until they are fixed.</source>
        <translation>%1：共 %2，%3 行有效，%4 行有问题（%5）。问题修复前不会写入任何内容。</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; to change (%2) of %3 named · %4 already as asked · %5 left out for exclusive tags</source>
        <translation>列出的 %3 个关系中 &lt;b&gt;%1&lt;/b&gt;需要更改（%2）· %4 个已符合要求 · %5 个因互斥标签被排除</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; to change (%2) of %3 named · %4 already as asked</source>
        <translation>列出的 %3 个关系中 &lt;b&gt;%1&lt;/b&gt;需要更改（%2）· %4 个已符合要求</translation>
    </message>
    <message>
        <source>+ %1: %2</source>
        <translation>+ %1：%2</translation>
    </message>
    <message>
        <source>− %1: %2</source>
        <translation>− %1：%2</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Import only the valid rows</source>
        <translation>只导入有效的行</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>重新检查</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
</context>
<context>
    <name>KeywordsDialog</name>
    <message>
        <source>Keywords per tag</source>
        <translation>各标签的关键词</translation>
    </message>
    <message>
        <source>Tag (name or group:name)</source>
        <translation>标签（名称或 组:名）</translation>
    </message>
    <message>
        <source>Keywords (separated by 、 or ,)</source>
        <translation>关键词（用 、 或 , 分隔）</translation>
    </message>
    <message>
        <source>Add tag</source>
        <translation>添加标签</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message numerus="yes">
        <source>Saved the keywords of %1 tags.</source>
        <translation>
            <numerusform>已保存 %1 个标签的关键词。</numerusform>
        </translation>
    </message>
    <message>
        <source>Unsaved keywords</source>
        <translation>关键词未保存</translation>
    </message>
    <message>
        <source>The keywords were changed. Save them before closing?</source>
        <translation>关键词已修改，关闭前要保存吗？</translation>
    </message>
</context>
<context>
    <name>LiveCodeEditDialog</name>
    <message>
        <source>Edit live code %1</source>
        <translation>编辑活码 %1</translation>
    </message>
    <message>
        <source>State</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>Departments</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Verification</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Members&apos; userids, separated by ,</source>
        <translation>成员账号，以 , 分隔</translation>
    </message>
    <message>
        <source>Add customers without the member confirming</source>
        <translation>客户添加时无需成员确认</translation>
    </message>
    <message>
        <source>A note on the code, at most %1 characters</source>
        <translation>活码备注，最多 %1 个字符</translation>
    </message>
    <message>
        <source>Tags for its customers (group:name), separated by ,</source>
        <translation>给其客户的标签（组:名），以 , 分隔</translation>
    </message>
    <message>
        <source>The state (at most %1 characters) is the channel the customers are counted by; no other live code may use it.</source>
        <translation>渠道标识（最多 %1 个字符）用来区分客户来自哪个渠道；不能与其他活码重复。</translation>
    </message>
    <message>
        <source>Department ids, separated by ,</source>
        <translation>部门编号，用逗号分隔</translation>
    </message>
    <message>
        <source>Department ids are whole numbers, separated by , (%1).</source>
        <translation>部门编号应为整数，用逗号分隔（%1）。</translation>
    </message>
    <message>
        <source>Saving the live code in WeCom…</source>
        <translation>正在企业微信中保存活码…</translation>
    </message>
</context>
<context>
    <name>LiveCodeReportView</name>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>统计</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>State / day</source>
        <translation>渠道 / 日期</translation>
    </message>
    <message>
        <source>Customers added</source>
        <translation>新增客户</translation>
    </message>
    <message>
        <source>Per day</source>
        <translation>每日</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>%1 added through %2 from %3 to %4.</source>
        <translation>%3 至 %4 通过 %2新增 %1。</translation>
    </message>
    <message numerus="yes">
        <source>Exported %1 rows to %2.</source>
        <translation>
            <numerusform>已导出 %1 行到 %2。</numerusform>
        </translation>
    </message>
    <message>
        <source>Export the live-code report</source>
        <translation>导出活码报表</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Log in to the team server</source>
        <translation>登录团队服务器</translation>
    </message>
    <message>
        <source>Profile %1 works through the team server %2. Enter your WeCom userid: the server sends you a six-digit code as a WeCom message.</source>
        <translation>配置 %1 通过团队服务器 %2 工作。请输入你的企业微信账号（userid），服务器会以企业微信消息发给你一个 6 位数字验证码。</translation>
    </message>
    <message>
        <source>WeCom userid, e.g. zhangsan</source>
        <translation>企业微信账号，例如 zhangsan</translation>
    </message>
    <message>
        <source>Send code</source>
        <translation>发送验证码</translation>
    </message>
    <message>
        <source>Six digits from the WeCom message</source>
        <translation>企业微信消息中的 6 位数字</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>WeCom userid</source>
        <translation>企业微信账号</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>验证码</translation>
    </message>
    <message>
        <source>Enter your WeCom userid first.</source>
        <translation>请先输入你的企业微信账号。</translation>
    </message>
    <message>
        <source>Asking the team server to send a code to %1…</source>
        <translation>正在请团队服务器向 %1 发送验证码……</translation>
    </message>
    <message>
        <source>Logging in…</source>
        <translation>正在登录……</translation>
    </message>
    <message>
        <source>A code was sent to %1 through WeCom; it is valid for %2 minutes.</source>
        <translation>验证码已通过企业微信发送给 %1，%2 分钟内有效。</translation>
    </message>
    <message>
        <source>Press “Send code” for a new code.</source>
        <translation>请点击“发送验证码”获取新的验证码。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Select customers first, then press T to tag them.</source>
        <translation>请先选择客户，再按 T 打标签。</translation>
    </message>
    <message>
        <source>filter: %1</source>
        <translation>筛选：%1</translation>
    </message>
    <message>
        <source>all customers</source>
        <translation>全部客户</translation>
    </message>
    <message>
        <source>No customers to retag: select some or change the filter.</source>
        <translation>没有可重标的客户：请先选择客户或修改筛选条件。</translation>
    </message>
    <message>
        <source>Nothing to export: the filter shows no customers.</source>
        <translation>没有可导出的内容：当前筛选没有客户。</translation>
    </message>
    <message>
        <source>No unfinished batches.</source>
        <translation>没有未完成的批次。</translation>
    </message>
    <message>
        <source>No favourite in slot %1: pin a tag first.</source>
        <translation>第 %1 个常用标签位为空：请先固定一个标签。</translation>
    </message>
    <message>
        <source>Select customers first.</source>
        <translation>请先选择客户。</translation>
    </message>
    <message>
        <source>A sync is already running.</source>
        <translation>同步已在进行中。</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Cancel sync</source>
        <translation>取消同步</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Select all customers</source>
        <translation>全选客户</translation>
    </message>
    <message>
        <source>Filter…</source>
        <translation>筛选…</translation>
    </message>
    <message>
        <source>Tag selected customers…</source>
        <translation>给所选客户打标签…</translation>
    </message>
    <message>
        <source>Toggle favourite %1</source>
        <translation>切换常用标签 %1</translation>
    </message>
    <message>
        <source>Logged in to the team server as %1.</source>
        <translation>已以 %1 的身份登录团队服务器。</translation>
    </message>
    <message>
        <source>WeCom did not answer; retry in a moment.</source>
        <translation>企业微信没有应答，请稍后再重试。</translation>
    </message>
    <message>
        <source>WeCom answers this computer again; the tagging waiting is being sent.</source>
        <translation>企业微信已重新接受本机的调用，待发的打标正在发送。</translation>
    </message>
    <message>
        <source>WeCom answers this computer again.</source>
        <translation>企业微信已重新接受本机的调用。</translation>
    </message>
    <message>
        <source>The app secret stored from the command line is in use now.</source>
        <translation>已改用命令行存入的应用 Secret。</translation>
    </message>
    <message>
        <source>The new app secret is stored in the OS keyring and in use.</source>
        <translation>新的应用 Secret 已存入系统钥匙串并已启用。</translation>
    </message>
    <message>
        <source>WeCom is called through %1 from now on.</source>
        <translation>从现在起通过 %1 调用企业微信。</translation>
    </message>
    <message numerus="yes">
        <source>Sending the tagging it stopped again: %n batch(es).</source>
        <translation>
            <numerusform>正在重新发送因此停下的打标：%n 个批次。</numerusform>
        </translation>
    </message>
    <message>
        <source>Approvals (%1)…</source>
        <translation>审批（%1）…</translation>
    </message>
    <message>
        <source>Approvals…</source>
        <translation>审批…</translation>
    </message>
    <message numerus="yes">
        <source>Showing the %n relation(s) the batch wrote; change the filter to see everything again.</source>
        <translation>
            <numerusform>仅显示本批次写入的 %n 条跟进关系；修改筛选即可看到全部。</numerusform>
        </translation>
    </message>
    <message>
        <source>Sync again at start</source>
        <translation>启动时自动同步</translation>
    </message>
    <message>
        <source>Retag…</source>
        <translation>批量重标…</translation>
    </message>
    <message>
        <source>Import tags from a spreadsheet…</source>
        <translation>从表格导入标签…</translation>
    </message>
    <message>
        <source>Export customers…</source>
        <translation>导出客户…</translation>
    </message>
    <message>
        <source>Unfinished batches…</source>
        <translation>未完成的批次…</translation>
    </message>
    <message>
        <source>Mutually exclusive tags…</source>
        <translation>互斥标签…</translation>
    </message>
    <message>
        <source>Audit log…</source>
        <translation>审计日志…</translation>
    </message>
    <message>
        <source>Reports…</source>
        <translation>统计报表…</translation>
    </message>
    <message>
        <source>Show all customers</source>
        <translation>显示全部客户</translation>
    </message>
    <message>
        <source>Pick tags like WeCom mass messaging</source>
        <translation>按企业微信群发方式选标签</translation>
    </message>
    <message>
        <source>Filter syntax</source>
        <translation>筛选语法</translation>
    </message>
    <message>
        <source>About TagDesk</source>
        <translation>关于 TagDesk</translation>
    </message>
    <message>
        <source>Log in to the team server…</source>
        <translation>登录团队服务器…</translation>
    </message>
    <message>
        <source>Connection settings…</source>
        <translation>连接设置…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Tag tree</source>
        <translation>标签树</translation>
    </message>
    <message>
        <source>Customer detail</source>
        <translation>客户详情</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>&amp;Tags</source>
        <translation>标签(&amp;T)</translation>
    </message>
    <message>
        <source>Tag health…</source>
        <translation>标签健康…</translation>
    </message>
    <message>
        <source>Auto-tag from chats…</source>
        <translation>从聊天自动打标…</translation>
    </message>
    <message>
        <source>The filter no longer works (%1); showing all customers.</source>
        <translation>筛选已无法使用（%1），现显示全部客户。</translation>
    </message>
    <message>
        <source>Find: %1</source>
        <translation>查找：%1</translation>
    </message>
    <message>
        <source>Find: %1 (no matching customer)</source>
        <translation>查找：%1（没有匹配的客户）</translation>
    </message>
    <message>
        <source>Sync complete: %1, %2, %3 in %4 s</source>
        <translation>同步完成：%1，%2，%3，用时 %4 秒</translation>
    </message>
    <message>
        <source>; the team&apos;s changes since the last sync were read in part (%1, %2 and %3 copied, the rest not read: %4): the next start or F5 reads the rest</source>
        <translation>；自上次同步以来团队的更改只读取了一部分（已复制 %1、%2和%3，其余未能读取：%4）：其余的下次启动或按 F5 时再读取</translation>
    </message>
    <message>
        <source>; %1 added or deleted elsewhere (F5 reads them)</source>
        <translation>；%1在别处添加或删除（按 F5 读取）</translation>
    </message>
    <message>
        <source>Deleted tags…</source>
        <translation>已删除的标签…</translation>
    </message>
    <message>
        <source>Live codes and pre-tags…</source>
        <translation>活码与预打标签…</translation>
    </message>
    <message>
        <source>Rules…</source>
        <translation>规则…</translation>
    </message>
    <message>
        <source>Expiring tags…</source>
        <translation>到期标签…</translation>
    </message>
    <message>
        <source>Scene templates…</source>
        <translation>场景模板…</translation>
    </message>
    <message>
        <source>Order reconciliation…</source>
        <translation>订单对账…</translation>
    </message>
    <message>
        <source>Behaviour events…</source>
        <translation>行为事件…</translation>
    </message>
    <message>
        <source>Import events…</source>
        <translation>导入行为事件…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>The filter from last time no longer works (%1); showing all customers.</source>
        <translation>上次关闭时的筛选已无法使用（%1），现显示全部客户。</translation>
    </message>
    <message>
        <source>Copy customer ID</source>
        <translation>复制客户 ID</translation>
    </message>
    <message>
        <source>Tag…</source>
        <translation>打标签…</translation>
    </message>
    <message>
        <source>Open detail</source>
        <translation>打开详情</translation>
    </message>
    <message numerus="yes">
        <source>Copied %n customer ID(s)</source>
        <translation>
            <numerusform>已复制 %n 个客户 ID</numerusform>
        </translation>
    </message>
    <message>
        <source>Click tags in the tree to pick the audience.</source>
        <translation>在标签树中点击标签来选择群发受众。</translation>
    </message>
    <message numerus="yes">
        <source>Tagging failed for %1 customers: %2</source>
        <translation>
            <numerusform>为 %1 位客户打标签失败：%2</numerusform>
        </translation>
    </message>
    <message>
        <source>Tag library refreshed: %1 in %2 s (%3 WeCom calls)</source>
        <translation>标签库已更新：%1，用时 %2 秒（%3 次企业微信调用）</translation>
    </message>
    <message>
        <source>; the team&apos;s changes since the last sync: %1</source>
        <translation>；自上次同步以来团队的更改：%1</translation>
    </message>
    <message>
        <source>; the team&apos;s changes since the last sync were not read (%1): the next start or F5 reads them</source>
        <translation>；自上次同步以来团队的更改未能读取（%1）：下次启动或按 F5 时再读取</translation>
    </message>
    <message>
        <source>Sync failed: %1</source>
        <translation>同步失败：%1</translation>
    </message>
    <message>
        <source>Sync cancelled; the cache is unchanged.</source>
        <translation>同步已取消，本地缓存未改变。</translation>
    </message>
    <message>
        <source>Undone: %1</source>
        <translation>已撤销：%1</translation>
    </message>
    <message>
        <source>Redone: %1</source>
        <translation>已重做：%1</translation>
    </message>
    <message>
        <source>TagDesk %1 — WeCom customer tagging and auditing.</source>
        <translation>TagDesk %1 — 企业微信客户标签与审计工具。</translation>
    </message>
    <message>
        <source>Data folder: %1</source>
        <translation>数据目录：%1</translation>
    </message>
    <message>
        <source>Log file: %1</source>
        <translation>日志文件：%1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>TagDesk — %1</source>
        <translation>TagDesk 企微标签工作台 — %1</translation>
    </message>
</context>
<context>
    <name>MembersPage</name>
    <message>
        <source>The template&apos;s live codes are made in WeCom for the members ticked here, with the tags chosen on the previous page. With no member, they are kept as data only.</source>
        <translation>模板的活码会在企业微信中为这里勾选的成员新建，带上一页选定的标签。不选成员则只作为数据保留。</translation>
    </message>
    <message>
        <source>Search members</source>
        <translation>搜索成员</translation>
    </message>
    <message>
        <source>Other userids, separated by ,</source>
        <translation>其他成员账号，以 , 分隔</translation>
    </message>
</context>
<context>
    <name>MigrateDialog</name>
    <message>
        <source>Migrate tags</source>
        <translation>迁移标签</translation>
    </message>
    <message>
        <source>source tags, separated by 、 or commas</source>
        <translation>源标签，用 、 或逗号分隔</translation>
    </message>
    <message>
        <source>an existing tag, or a new name (group:name)</source>
        <translation>已有标签，或新名称（组:名）</translation>
    </message>
    <message>
        <source>Delete the sources once every customer is moved</source>
        <translation>所有客户迁移完成后删除源标签</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>开始迁移</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message numerus="yes">
        <source>Rename: one call moves all %1 relations.</source>
        <translation>
            <numerusform>改名：一次调用即迁移全部 %1 个客户关系。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1. Run sends a request, and nothing changes until an administrator approves it.</source>
        <translation>%1。点“开始迁移”会提交申请，管理员批准前不会有任何改动。</translation>
    </message>
    <message>
        <source>Relabel: %1 carry a source; %2 (%3 already carry the target).</source>
        <translation>重新打标签：%1带有源标签；需 %2（%3 个已有目标标签）。</translation>
    </message>
    <message>
        <source>Deleting the sources needs an administrator&apos;s approval: once every customer is moved a request is sent, and the sources stay until it is approved.</source>
        <translation>删除源标签需要管理员批准：所有客户迁移完成后提交删除申请，批准之前源标签保留。</translation>
    </message>
    <message>
        <source>The sources are deleted at the end: a revert can no longer put them back.</source>
        <translation>最后删除源标签：之后回滚无法再把它们加回去。</translation>
    </message>
    <message>
        <source>%1 in all, about %2.</source>
        <translation>共 %1，约 %2。</translation>
    </message>
    <message>
        <source>Moves every customer of the sources onto the target. A single source going into a new name in its group is renamed: one call, whatever the number of customers. Otherwise each relation gets one call, as one batch you can undo.</source>
        <translation>把源标签的所有客户迁移到目标标签。单个源标签迁移到本组的新名称时直接改名：无论多少客户都只需一次调用。否则每个客户关系一次调用，作为一个可撤销的批量任务。</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Name the sources and the target.</source>
        <translation>请填写源标签和目标标签。</translation>
    </message>
    <message>
        <source>The target is created first.</source>
        <translation>先新建目标标签。</translation>
    </message>
    <message>
        <source>Not every customer was moved, so the sources were kept; retry or continue the batch, then migrate again.</source>
        <translation>并非所有客户都已迁移，源标签已保留；请重试或继续该批量任务，然后再次迁移。</translation>
    </message>
    <message>
        <source>Migration finished.</source>
        <translation>迁移完成。</translation>
    </message>
</context>
<context>
    <name>PickerModel</name>
    <message>
        <source>Counting the selected customers…</source>
        <translation>正在统计所选客户…</translation>
    </message>
    <message>
        <source>On %1 of the %2 selected</source>
        <translation>所选 %2 个中有 %1 个已带此标签</translation>
    </message>
</context>
<context>
    <name>PilotBox</name>
    <message>
        <source>no pilot</source>
        <translation>不试运行</translation>
    </message>
    <message>
        <source> relations first</source>
        <translation> 个客户关系先行</translation>
    </message>
    <message>
        <source>Pilot:</source>
        <translation>试运行：</translation>
    </message>
</context>
<context>
    <name>PolicyForm</name>
    <message>
        <source>Administrators</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Department prefixes</source>
        <translation>部门前缀</translation>
    </message>
    <message>
        <source>Groups → department</source>
        <translation>标签组 → 部门</translation>
    </message>
    <message>
        <source>Branch admins</source>
        <translation>分公司管理员</translation>
    </message>
    <message>
        <source>Members may add sub-tags in</source>
        <translation>成员可添加子标签的标签组</translation>
    </message>
    <message>
        <source>Restricted tagging</source>
        <translation>限制打标签的标签组或规则组</translation>
    </message>
    <message>
        <source>Renames needing approval above (customers)</source>
        <translation>改名需审批的客户数（超过）</translation>
    </message>
    <message>
        <source>Prefix</source>
        <translation>前缀</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Tag group</source>
        <translation>标签组</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>表单</translation>
    </message>
    <message>
        <source>Also administrators, by the server&apos;s --admin: %1</source>
        <translation>服务器 --admin 指定的管理员也算：%1</translation>
    </message>
</context>
<context>
    <name>PretagForm</name>
    <message>
        <source>external_userid</source>
        <translation>客户 ID（external_userid）</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机号</translation>
    </message>
    <message>
        <source>unionid</source>
        <translation>unionid</translation>
    </message>
    <message>
        <source>Who: the id or phone number</source>
        <translation>对象：ID 或手机号</translation>
    </message>
    <message>
        <source>Tags (group:name), separated by ,</source>
        <translation>标签（组:名），以 , 分隔</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Dropped as expired when the person is not a customer after this many days</source>
        <translation>超过这么多天仍未成为客户则作为过期丢弃</translation>
    </message>
    <message>
        <source>Queue pre-tag</source>
        <translation>加入预打标签</translation>
    </message>
    <message>
        <source>Import file…</source>
        <translation>导入文件…</translation>
    </message>
    <message>
        <source>Pre-tag queued for %1.</source>
        <translation>已为 %1 加入预打标签。</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message numerus="yes">
        <source>%1 rows cannot be read; nothing was queued.</source>
        <translation>
            <numerusform>有 %1 行读不了；什么都没有加入。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Queued %1 pre-tags from the file.</source>
        <translation>
            <numerusform>已从文件加入 %1 个预打标签。</numerusform>
        </translation>
    </message>
    <message>
        <source>Import pre-tags</source>
        <translation>导入预打标签</translation>
    </message>
    <message>
        <source>Spreadsheets (*.xlsx *.csv)</source>
        <translation>表格文件 (*.xlsx *.csv)</translation>
    </message>
</context>
<context>
    <name>ProblemTableModel</name>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Suggestion</source>
        <translation>修改建议</translation>
    </message>
</context>
<context>
    <name>ReconcileDialog</name>
    <message>
        <source>Order reconciliation</source>
        <translation>订单对账</translation>
    </message>
    <message>
        <source>Compare who has a paid order with who carries the paid tag. A paying customer should carry it on every relation, a customer without a paid order on none; fixing sends one batch that can be undone.</source>
        <translation>对比谁有已支付的订单、谁带着“已成交”标签。已支付的客户应在每个跟进关系上都带着它，没有已支付订单的客户一个也不应带；修正会发出一个可撤销的批量任务。</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>a CSV or JSON file, or an http(s) URL</source>
        <translation>CSV 或 JSON 文件，或 http(s) 地址</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Paid tag</source>
        <translation>成交标签</translation>
    </message>
    <message>
        <source>e.g. 已成交 or 客户阶段:已成交</source>
        <translation>例如 已成交 或 客户阶段:已成交</translation>
    </message>
    <message>
        <source>Go on without unreadable rows</source>
        <translation>跳过读不了的行继续</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>Run now</source>
        <translation>立即运行</translation>
    </message>
    <message>
        <source>The team server reconciles the orders now (team administrators only)</source>
        <translation>团队服务器立即核对订单（仅团队管理员）</translation>
    </message>
    <message>
        <source>Mismatch</source>
        <translation>不一致</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Relations</source>
        <translation>关系数</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>The team server is reconciling the orders now…</source>
        <translation>团队服务器正在核对订单……</translation>
    </message>
    <message>
        <source>Orders (*.csv *.json *.jsonl);;All files (*)</source>
        <translation>订单 (*.csv *.json *.jsonl);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Name the orders and the paid tag.</source>
        <translation>请填写订单来源和成交标签。</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>正在对比…</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺标签</translation>
    </message>
    <message>
        <source>extra</source>
        <translation>多标签</translation>
    </message>
    <message>
        <source>unknown customer</source>
        <translation>未知客户</translation>
    </message>
    <message>
        <source>unreadable row</source>
        <translation>读不了的行</translation>
    </message>
    <message>
        <source>line %1</source>
        <translation>第 %1 行</translation>
    </message>
    <message>
        <source>Paying customers: %1 · carrying the tag: %2 · missing: %3 · extra: %4 · unknown customers: %5 · unreadable rows: %6 · relations to change: %7.</source>
        <translation>已支付客户 %1 位，带标签的客户 %2 位。缺标签：%3 · 多标签：%4 · 未知客户：%5 · 读不了的行：%6 · 要修改的客户关系：%7。</translation>
    </message>
    <message>
        <source>no order</source>
        <translation>没有订单</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>已支付</translation>
    </message>
    <message numerus="yes">
        <source>Fix %1 relations</source>
        <translation>
            <numerusform>修正 %1 个客户关系</numerusform>
        </translation>
    </message>
    <message>
        <source>Some order rows cannot be read: fix them, or tick the box to go on without them.</source>
        <translation>有订单行读不了：请先修正，或勾选“跳过读不了的行继续”。</translation>
    </message>
</context>
<context>
    <name>RenameDialog</name>
    <message>
        <source>Request a rename</source>
        <translation>申请改名</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>New name</source>
        <translation>新名称</translation>
    </message>
    <message>
        <source>The tag is on more customers than the team lets you rename alone: TagDesk sends administrators a request, and the name stays until one approves it.</source>
        <translation>使用该标签的客户数超过团队允许你直接改名的上限：TagDesk 会向管理员提交申请，批准之前名称不变。</translation>
    </message>
    <message>
        <source>Why rename it (optional, shown to the administrators)</source>
        <translation>为什么改名（可选，管理员审批时可见）</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>申请理由：</translation>
    </message>
    <message>
        <source>Send request</source>
        <translation>提交申请</translation>
    </message>
</context>
<context>
    <name>ReportsWindow</name>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Most used tags</source>
        <translation>最常用标签</translation>
    </message>
    <message>
        <source>Last %1 days</source>
        <translation>最近 %1 天</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Top</source>
        <translation>前 N 个</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>时间段</translation>
    </message>
    <message>
        <source>Changes per day</source>
        <translation>每日更改</translation>
    </message>
    <message>
        <source>Changes per operator</source>
        <translation>各操作人的更改</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>健康度</translation>
    </message>
    <message>
        <source>Save chart as PNG…</source>
        <translation>将图表保存为 PNG…</translation>
    </message>
    <message>
        <source>Group: %1</source>
        <translation>标签组：%1</translation>
    </message>
    <message>
        <source>Whole corp</source>
        <translation>全公司</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>%1 (My customers)</source>
        <translation>%1（我的客户）</translation>
    </message>
    <message>
        <source>%1 (department %2)</source>
        <translation>%1（部门：%2）</translation>
    </message>
    <message>
        <source>Follow relations per tag</source>
        <translation>各标签的跟进关系数</translation>
    </message>
    <message>
        <source>Relations</source>
        <translation>关系数</translation>
    </message>
    <message>
        <source>Journal rows per day, by source</source>
        <translation>每日日志条数（按来源）</translation>
    </message>
    <message>
        <source>Changes per operator (seen-at-sync changes left out)</source>
        <translation>各操作人的更改（不含同步时发现的更改）</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>更改数</translation>
    </message>
    <message>
        <source>Tagged customers</source>
        <translation>有标签的客户</translation>
    </message>
    <message>
        <source>Untagged customers</source>
        <translation>无标签的客户</translation>
    </message>
    <message>
        <source>Customers with and without tags</source>
        <translation>有无标签的客户</translation>
    </message>
    <message>
        <source>%1 of %2 carry no tag; %3 of %4 carry none.</source>
        <translation>%2中有 %1 位没有标签；%4中有 %3 个没有标签。</translation>
    </message>
    <message>
        <source>No mutually exclusive tag sets are defined.</source>
        <translation>尚未定义互斥标签组合。</translation>
    </message>
    <message>
        <source>%1 (%2): %3 on %4 carry two or more.</source>
        <translation>%1（%2）：%3（%4）带有两个或以上。</translation>
    </message>
    <message>
        <source>Save chart</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Could not save %1</source>
        <translation>无法保存 %1</translation>
    </message>
</context>
<context>
    <name>RetagDialog</name>
    <message>
        <source>Retag customers</source>
        <translation>批量重打标签</translation>
    </message>
    <message>
        <source>selection</source>
        <translation>所选</translation>
    </message>
    <message>
        <source>Add / remove tags</source>
        <translation>添加 / 移除标签</translation>
    </message>
    <message>
        <source>Tags to add: name, pinyin or initials</source>
        <translation>要添加的标签：名称、拼音或首字母</translation>
    </message>
    <message>
        <source>Tags to remove</source>
        <translation>要移除的标签</translation>
    </message>
    <message>
        <source>Also change relations that would carry two mutually exclusive tags</source>
        <translation>同时更改会带有两个互斥标签的关系</translation>
    </message>
    <message>
        <source>Choose tags to see what would change.</source>
        <translation>选择标签以预览将要发生的更改。</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; to change (%2) · %3 already as asked</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;需要更改（%2）· %3 个已符合要求</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message numerus="yes">
        <source>%1 customer relations · %2</source>
        <translation>
            <numerusform>%1 个客户关系 · %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Expires:</source>
        <translation>到期：</translation>
    </message>
    <message>
        <source>Group to replace:</source>
        <translation>要替换的标签组：</translation>
    </message>
    <message>
        <source>Add:</source>
        <translation>添加：</translation>
    </message>
    <message>
        <source>Remove:</source>
        <translation>移除：</translation>
    </message>
    <message>
        <source>Computing the preview…</source>
        <translation>正在计算预览…</translation>
    </message>
    <message numerus="yes">
        <source>Change %1 relations</source>
        <translation>
            <numerusform>更改 %1 个关系</numerusform>
        </translation>
    </message>
    <message>
        <source>+ %1: %2 (already tagged: %3)</source>
        <translation>+ %1：%2（已有该标签：%3）</translation>
    </message>
    <message>
        <source>Replace within group</source>
        <translation>组内替换（重标）</translation>
    </message>
    <message>
        <source>optional: the added tags are removed after 30d, 12h or 2w</source>
        <translation>可选：添加的标签在 30d、12h、2w（天 / 小时 / 周）后移除</translation>
    </message>
    <message>
        <source>Choose a group</source>
        <translation>选择标签组</translation>
    </message>
    <message>
        <source>Empty the group</source>
        <translation>清空分组</translation>
    </message>
    <message numerus="yes">
        <source>Remove every tag of the group %1 from %2 customer(s)? Nothing is added in its place.</source>
        <translation>
            <numerusform>要从 %2 位客户身上移除分组「%1」的全部标签吗？不会添加任何标签来代替。</numerusform>
        </translation>
    </message>
    <message>
        <source>− %1: %2 (already absent: %3)</source>
        <translation>− %1：%2（本就没有：%3）</translation>
    </message>
    <message>
        <source>changed anyway</source>
        <translation>仍然更改</translation>
    </message>
    <message>
        <source>left out</source>
        <translation>排除</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; relations would carry two exclusive tags (%2):</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; 个关系将带有两个互斥标签（%2）：</translation>
    </message>
    <message>
        <source>About %1 at %2 calls/min, %3 at a time</source>
        <translation>按每分钟 %2 次调用、%3 路并发，约需 %1</translation>
    </message>
    <message>
        <source>Start pilot (first %1)</source>
        <translation>开始试运行（前 %1 个）</translation>
    </message>
</context>
<context>
    <name>RevertDialog</name>
    <message>
        <source>Revert %1</source>
        <translation>回滚 %1</translation>
    </message>
    <message>
        <source>%1 will be restored; %2 cannot be (changed again since, or the relation is gone). The revert is itself journaled and can be reverted.</source>
        <translation>将恢复 %1；%2 个无法恢复（之后又被更改，或关系已不存在）。回滚本身也会记入日志，并可再次回滚。</translation>
    </message>
    <message>
        <source>%1 already carry the tags they had before.</source>
        <translation>%1已是批次之前的状态。</translation>
    </message>
    <message>
        <source>There is nothing to revert.</source>
        <translation>没有需要回滚的更改。</translation>
    </message>
    <message>
        <source>Will restore:</source>
        <translation>将恢复：</translation>
    </message>
    <message>
        <source>Cannot restore:</source>
        <translation>无法恢复：</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>回滚</translation>
    </message>
</context>
<context>
    <name>RuleEditor</name>
    <message>
        <source>Rule: %1</source>
        <translation>规则：%1</translation>
    </message>
    <message>
        <source>New rule</source>
        <translation>新建规则</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Description:</source>
        <translation>说明：</translation>
    </message>
    <message>
        <source>Enabled (the team server runs it on its schedule and writes to WeCom, with no pilot)</source>
        <translation>启用（团队服务器按计划运行，不经试运行直接写入企业微信）</translation>
    </message>
    <message>
        <source>Enabled (runs with the other rules)</source>
        <translation>启用（与其他规则一起运行）</translation>
    </message>
    <message>
        <source>When:</source>
        <translation>条件：</translation>
    </message>
    <message>
        <source>Add tags:</source>
        <translation>添加标签：</translation>
    </message>
    <message>
        <source>Remove tags:</source>
        <translation>移除标签：</translation>
    </message>
    <message>
        <source>tags: name, pinyin or initials</source>
        <translation>标签：名称、拼音或首字母</translation>
    </message>
    <message>
        <source>Replace within group (adding a tag removes the other tags of its group)</source>
        <translation>组内替换（添加一个标签时移除同组的其他标签）</translation>
    </message>
    <message>
        <source>Added tags expire after:</source>
        <translation>添加的标签到期时间：</translation>
    </message>
    <message>
        <source>never</source>
        <translation>不过期</translation>
    </message>
    <message>
        <source>Department:</source>
        <translation>部门：</translation>
    </message>
    <message>
        <source>Visible to:</source>
        <translation>可见范围：</translation>
    </message>
    <message>
        <source>as it is (new rules: the one you head)</source>
        <translation>保持不变（新规则：你负责的部门）</translation>
    </message>
    <message>
        <source>its department</source>
        <translation>本部门</translation>
    </message>
    <message>
        <source>the whole team</source>
        <translation>全团队</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>表单</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责成员</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变更</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Simulate this rule</source>
        <translation>模拟此规则</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>保存（Ctrl+S）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Give the rule a name.</source>
        <translation>请给规则起个名字。</translation>
    </message>
    <message>
        <source>Simulating…</source>
        <translation>正在模拟…</translation>
    </message>
    <message>
        <source>This rule alone would change %1 of %2 (%3).</source>
        <translation>仅此规则会改变 %2中的 %1 个（%3）。</translation>
    </message>
</context>
<context>
    <name>RulesDialog</name>
    <message>
        <source>Rules</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>A rule adds or removes tags when its conditions hold. Make one with New, edit it with a double-click, add rules from a JSON file (the format is in the README, &quot;Rules and automation&quot;) or a whole set with Tags → Scene templates…; simulate first, then run them as one batch that can be undone.</source>
        <translation>规则在条件满足时添加或移除标签。用「新建」创建规则，双击编辑，也可以从 JSON 文件添加（格式见 README 中讲规则与自动化的一节），或用 标签 → 场景模板… 一次添加一整套；先模拟，再作为一个可撤销的批量任务运行。</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>When</source>
        <translation>条件</translation>
    </message>
    <message>
        <source>Then</source>
        <translation>动作</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Duplicate…</source>
        <translation>复制…</translation>
    </message>
    <message>
        <source>Add from file…</source>
        <translation>从文件添加…</translation>
    </message>
    <message>
        <source>Enable / disable</source>
        <translation>启用 / 停用</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Simulate</source>
        <translation>模拟</translation>
    </message>
    <message>
        <source>Run…</source>
        <translation>运行…</translation>
    </message>
    <message>
        <source>The team server runs the enabled team rules on a schedule; it has not run them yet.</source>
        <translation>团队服务器按计划运行已启用的团队规则；还没有运行过。</translation>
    </message>
    <message>
        <source>Last run on the team server: %1 · %2 changed, %3 failed, %4 contested, %5 skipped.</source>
        <translation>团队服务器上次运行：%1 · 更改 %2，失败 %3 个，有争议 %4 个，跳过 %5。</translation>
    </message>
    <message>
        <source>The team server is running the team rules now.</source>
        <translation>团队服务器正在运行团队规则。</translation>
    </message>
    <message>
        <source>expires after %1</source>
        <translation>%1 后到期</translation>
    </message>
    <message>
        <source>%1 of %2 would change (%3).</source>
        <translation>%2中有 %1 个会更改（%3）。</translation>
    </message>
    <message>
        <source>Contradiction: 「%1」 adds %2, 「%3」 removes it (%4 left alone).</source>
        <translation>矛盾：「%1」添加 %2，「%3」却移除它（%4不会更改）。</translation>
    </message>
    <message>
        <source>Loop: %1 undo each other (%2 left alone).</source>
        <translation>循环：%1 互相撤销（%2不会更改）。</translation>
    </message>
    <message numerus="yes">
        <source>%1 reverted changes left alone: they stay reverted until every rule that made them is edited.</source>
        <translation>
            <numerusform>%1 项已回滚的更改不再做：在做出它们的规则都被编辑之前保持回滚。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 reverted relations left alone</source>
        <translation>
            <numerusform>%1 个已回滚的客户关系不再更改</numerusform>
        </translation>
    </message>
    <message>
        <source>Whole corp</source>
        <translation>全公司</translation>
    </message>
    <message>
        <source>A revert undid this rule&apos;s change on these relations: rule runs leave it alone until every rule that made it is edited.</source>
        <translation>这些客户关系上该规则的更改已被回滚：在做出这项更改的规则都被编辑之前，规则运行不会再做它。</translation>
    </message>
    <message>
        <source>Read-only: only an administrator or the head of its department may change this rule.</source>
        <translation>只读：只有管理员或规则所属部门的负责人可以修改这条规则。</translation>
    </message>
    <message>
        <source>%1 (copy %2)</source>
        <translation>%1（副本 %2）</translation>
    </message>
    <message>
        <source>Add rules</source>
        <translation>添加规则</translation>
    </message>
    <message>
        <source>Rule files (*.json)</source>
        <translation>规则文件 (*.json)</translation>
    </message>
    <message>
        <source>Remove rule</source>
        <translation>删除规则</translation>
    </message>
    <message>
        <source>Remove the rule 「%1」? Its conditions and actions are not kept; tags it already set stay.</source>
        <translation>删除规则「%1」？它的条件和动作将不再保留；它已打上的标签不受影响。</translation>
    </message>
</context>
<context>
    <name>SaveFilterDialog</name>
    <message>
        <source>Save filter</source>
        <translation>保存筛选</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Team: everyone on the team sees it</source>
        <translation>团队：团队所有人可见</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Give the filter a name.</source>
        <translation>请为筛选起个名字。</translation>
    </message>
    <message>
        <source>A saved filter is already called 「%1」 (%2): saving replaces it.</source>
        <translation>已有名为「%1」的筛选（%2）：保存将替换它。</translation>
    </message>
</context>
<context>
    <name>ScenesDialog</name>
    <message>
        <source>Scene templates</source>
        <translation>场景模板</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Industry</source>
        <translation>行业</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Live codes</source>
        <translation>活码</translation>
    </message>
    <message>
        <source>Create same-named tags in the template&apos;s groups</source>
        <translation>在模板的组中另建同名标签</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>上一步</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>%1: not a member with customer contact. Tick the members, or type their userids.</source>
        <translation>%1：不是有客户联系权限的成员。请勾选成员，或输入成员的 userid。</translation>
    </message>
    <message>
        <source>Step 1 of 4: choose a template</source>
        <translation>第 1 步（共 4 步）：选择模板</translation>
    </message>
    <message>
        <source>Step 2 of 4: which tag each template tag uses</source>
        <translation>第 2 步（共 4 步）：模板的每个标签用哪个标签</translation>
    </message>
    <message>
        <source>Step 3 of 4: members for the live codes</source>
        <translation>第 3 步（共 4 步）：活码的成员</translation>
    </message>
    <message>
        <source>Step 4 of 4: everything Apply does</source>
        <translation>第 4 步（共 4 步）：应用将做的全部事情</translation>
    </message>
    <message>
        <source>%1 — %2 (%3 exist), %4, %5.</source>
        <translation>%1 —— %2（已有 %3 个），%4，%5。</translation>
    </message>
    <message>
        <source>Applied: %1 created, %2 kept disabled (the team server runs enabled rules on its schedule), %3 made (%4 left as they were). Simulate the rules, then enable them in Tags → Rules….</source>
        <translation>已应用：新建 %1，保存 %2（已停用：团队服务器按计划运行启用的规则），新建 %3（%4 个保持原样）。请在 标签 → 规则… 中模拟后再启用这些规则。</translation>
    </message>
    <message>
        <source>Applied: %1 created, %2 kept, %3 made (%4 left as they were). Simulate the rules in Tags → Rules….</source>
        <translation>已应用：新建 %1，保存 %2，新建 %3（%4 个保持原样）。请在 标签 → 规则… 中模拟这些规则。</translation>
    </message>
    <message>
        <source>New group: %1</source>
        <translation>新建标签组：%1</translation>
    </message>
    <message>
        <source>The team server would refuse this: %1. On step 2, use existing tags for the template&apos;s tags or create them in your own group, or ask an administrator to apply it.</source>
        <translation>团队服务器会拒绝：%1。请在第 2 步为模板标签选用已有标签或在你自己的组中新建，或请管理员应用此模板。</translation>
    </message>
    <message>
        <source>Create: %1</source>
        <translation>新建标签：%1</translation>
    </message>
    <message>
        <source>Reuse: %1</source>
        <translation>沿用已有标签：%1</translation>
    </message>
    <message>
        <source>Use existing: %1 → %2</source>
        <translation>使用已有标签：%1 → %2</translation>
    </message>
    <message>
        <source>Created in your group: %1 → %2</source>
        <translation>在你的组中新建：%1 → %2</translation>
    </message>
    <message>
        <source>Name collision: %1 already exists in %2</source>
        <translation>同名冲突：%1 已存在于 %2</translation>
    </message>
    <message>
        <source>Add rule: %1</source>
        <translation>新增规则：%1</translation>
    </message>
    <message>
        <source>Replace rule: %1</source>
        <translation>替换同名规则：%1</translation>
    </message>
    <message>
        <source>Live code, made in WeCom for %3: state=%1 → %2</source>
        <translation>活码，在企业微信中为 %3 新建：state=%1 → %2</translation>
    </message>
    <message>
        <source>Live code (data only, not made in WeCom): state=%1 → %2</source>
        <translation>活码（仅数据，尚未在企业微信创建）：state=%1 → %2</translation>
    </message>
    <message>
        <source>Live code made: state=%1 (code %2)</source>
        <translation>已新建活码：state=%1（活码编号 %2）</translation>
    </message>
    <message>
        <source>Live code not made: state=%1: %2</source>
        <translation>未新建活码：state=%1：%2</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Cancel sync</source>
        <translation>取消同步</translation>
    </message>
    <message>
        <source>Enter the new secret…</source>
        <translation>输入新的 Secret…</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>WeCom refused this computer&apos;s IP (errcode 60020). Once an administrator has added it to the app&apos;s trusted IPs, Retry asks WeCom again and sends the tagging waiting; any call that succeeds does the same.</source>
        <translation>企业微信拒绝了本机 IP（errcode 60020）。管理员把它加入应用的企业可信 IP 后，点“重试”会再问一次企业微信并发送待发的打标；之后任何一次调用成功也会这样做。</translation>
    </message>
    <message>
        <source>Team server unavailable</source>
        <translation>团队服务器不可用</translation>
    </message>
    <message>
        <source>My customers</source>
        <translation>我的客户</translation>
    </message>
    <message>
        <source>The team server gives a salesperson only the customers they follow; department heads, supervisors and administrators see the whole corp.</source>
        <translation>团队服务器只给销售同步其跟进的客户；部门负责人、主管和管理员看到全企业的客户。</translation>
    </message>
    <message>
        <source>Team: %1</source>
        <translation>团队：%1</translation>
    </message>
    <message>
        <source>Profile: %1</source>
        <translation>配置：%1</translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation>从未同步</translation>
    </message>
    <message>
        <source>Last sync: %1</source>
        <translation>上次同步：%1</translation>
    </message>
    <message>
        <source>%1 / %2 · %3</source>
        <translation>%1 / %2 · %3</translation>
    </message>
    <message numerus="yes">
        <source>%1 customers in the cache</source>
        <translation>
            <numerusform>本地缓存中共 %1 位客户</numerusform>
        </translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Waiting batches need attention: %1</source>
        <translation>待发的批量任务需要处理：%1</translation>
    </message>
</context>
<context>
    <name>SuggestionModel</name>
    <message>
        <source>Decision</source>
        <translation>审阅</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>✓ accepted</source>
        <translation>✓ 已接受</translation>
    </message>
    <message>
        <source>✗ rejected</source>
        <translation>✗ 已拒绝</translation>
    </message>
    <message>
        <source>↺ reverted</source>
        <translation>↺ 已回滚</translation>
    </message>
    <message>
        <source>added</source>
        <translation>已新增</translation>
    </message>
    <message>
        <source>Judged by the rules (keywords and intent packs)</source>
        <translation>由规则判断（关键词和意图包）</translation>
    </message>
    <message>
        <source>Judged by the learner trained on your confirmed tags</source>
        <translation>由学习模型判断（用你们确认过的标签训练）</translation>
    </message>
    <message>
        <source>Judged by the rules and the learner trained on your confirmed tags</source>
        <translation>规则和学习模型（用你们确认过的标签训练）都这样判断</translation>
    </message>
    <message>
        <source>Judged by the base model bundled with TagDesk (no confirmed tags taught it this tag)</source>
        <translation>由 TagDesk 自带的基础模型判断（还没有确认过的标签教过这个标签）</translation>
    </message>
    <message>
        <source>Judged by the rules and the base model bundled with TagDesk</source>
        <translation>规则和 TagDesk 自带的基础模型都这样判断</translation>
    </message>
    <message>
        <source>would add</source>
        <translation>将新增</translation>
    </message>
    <message>
        <source>already tagged</source>
        <translation>已有该标签</translation>
    </message>
    <message>
        <source>relation not in the cache</source>
        <translation>缓存中没有该客户关系</translation>
    </message>
    <message>
        <source>no such tag</source>
        <translation>没有该标签</translation>
    </message>
</context>
<context>
    <name>TagChooser</name>
    <message>
        <source>Delete or double-click removes a tag</source>
        <translation>按 Delete 或双击可移除标签</translation>
    </message>
</context>
<context>
    <name>TagDialogs</name>
    <message>
        <source> and %1 more</source>
        <translation> 等另外 %1 个</translation>
    </message>
    <message>
        <source>Delete tag group</source>
        <translation>删除标签组</translation>
    </message>
    <message>
        <source>Delete the group “%1” with %2 (%3)?</source>
        <translation>删除标签组“%1”及其 %2（%3）？</translation>
    </message>
    <message>
        <source>Among your customers, %1 (%2) will lose them in WeCom, and so will the customers of other members who carry them.</source>
        <translation>你的客户中有 %1（%2）将在企业微信中失去这些标签，其他成员带有这些标签的客户也会失去它们。</translation>
    </message>
    <message>
        <source>%1 (%2) will lose them in WeCom.</source>
        <translation>%1（%2）将在企业微信中失去这些标签。</translation>
    </message>
    <message>
        <source>TagDesk keeps who carried them: Tags → Deleted tags… restores the tags and tags them again.</source>
        <translation>TagDesk 会记下曾带有它们的客户：在 标签 → 已删除的标签… 中可以恢复这些标签并重新打给他们。</translation>
    </message>
    <message>
        <source>Among your customers, %1 (%2) will lose it in WeCom, and so will the customers of other members who carry it.</source>
        <translation>你的客户中有 %1（%2）将在企业微信中失去该标签，其他成员带有该标签的客户也会失去它。</translation>
    </message>
    <message>
        <source>%1 (%2) will lose it in WeCom.</source>
        <translation>%1（%2）将在企业微信中失去该标签。</translation>
    </message>
    <message>
        <source>Request a deletion</source>
        <translation>申请删除</translation>
    </message>
    <message>
        <source>Deleting needs an administrator&apos;s approval: TagDesk sends them a request, and nothing changes until it is approved. Once approved, %1</source>
        <translation>删除需要管理员批准：TagDesk 会向管理员提交申请，批准之前一切不变。批准后，%1</translation>
    </message>
    <message>
        <source>The server keeps who carried them: an administrator restores an approved deletion in File → Approvals… (Restore and re-tag).</source>
        <translation>服务器会记下曾带有它们的客户：批准后，管理员可以在 文件 → 审批… 中恢复这些标签并重新打给他们（恢复并重新打标签）。</translation>
    </message>
    <message>
        <source>The server keeps who carried it: an administrator restores an approved deletion in File → Approvals… (Restore and re-tag).</source>
        <translation>服务器会记下曾带有它的客户：批准后，管理员可以在 文件 → 审批… 中恢复该标签并重新打给他们（恢复并重新打标签）。</translation>
    </message>
    <message>
        <source>Request sent</source>
        <translation>已提交申请</translation>
    </message>
    <message>
        <source>Delete tag</source>
        <translation>删除标签</translation>
    </message>
    <message>
        <source>Delete %1?</source>
        <translation>删除 %1？</translation>
    </message>
    <message>
        <source>TagDesk keeps who carried it: Tags → Deleted tags… restores the tag and tags them again.</source>
        <translation>TagDesk 会记下曾带有它的客户：在 标签 → 已删除的标签… 中可以恢复该标签并重新打给他们。</translation>
    </message>
</context>
<context>
    <name>TagMappingPage</name>
    <message>
        <source>Each tag of the template is created, in its group or in one of your own, or uses a tag you already have: choose one (type to search). Highlighted: the name is already used in another group.</source>
        <translation>模板的每个标签会在它的组或你自己的组中新建，或使用一个已有标签：请选择（可输入搜索）。高亮的行：该名称已在其他组中使用。</translation>
    </message>
    <message>
        <source>Each tag of the template is created, or uses a tag you already have: choose one (type to search). Highlighted: the name is already used in another group.</source>
        <translation>模板的每个标签会新建，或使用一个已有标签：请选择（可输入搜索）。高亮的行：该名称已在其他组中使用。</translation>
    </message>
    <message>
        <source>Template tag</source>
        <translation>模板标签</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>使用</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Already in %1</source>
        <translation>已在 %1 中</translation>
    </message>
    <message>
        <source>Create new in my group %1</source>
        <translation>在我的组 %1 中新建</translation>
    </message>
    <message>
        <source>Reuse %1 (same name)</source>
        <translation>沿用 %1（同名）</translation>
    </message>
    <message>
        <source>Create new in %1</source>
        <translation>在 %1 中新建</translation>
    </message>
</context>
<context>
    <name>TagPicker</name>
    <message>
        <source>Tag customers</source>
        <translation>给客户打标签</translation>
    </message>
    <message>
        <source>Tag: 中文, pinyin, gyx or V3</source>
        <translation>标签：中文、拼音、gyx 或 V3</translation>
    </message>
    <message>
        <source>Loading tags…</source>
        <translation>正在加载标签…</translation>
    </message>
    <message>
        <source>No tag matches “%1”</source>
        <translation>没有与“%1”匹配的标签</translation>
    </message>
    <message>
        <source>Enter: add or remove on %1 selected · Esc: close</source>
        <translation>Enter：为所选 %1 位客户添加或移除 · Esc：关闭</translation>
    </message>
</context>
<context>
    <name>TagTreeModel</name>
    <message>
        <source>Tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Corp tags</source>
        <translation>企业标签</translation>
    </message>
    <message>
        <source>Rule-group tags</source>
        <translation>规则组标签</translation>
    </message>
    <message>
        <source>Personal tags</source>
        <translation>个人标签</translation>
    </message>
    <message numerus="yes">
        <source>%1 customer relations carry this tag</source>
        <translation>
            <numerusform>%1 个客户关系带有此标签</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 tags; click to show customers with any of them</source>
        <translation>
            <numerusform>%1 个标签；点击显示带有其中任一标签的客户</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of them carry it with an expiry (tagdesk expiry list)</source>
        <translation>其中 %1 个带有到期时间（tagdesk expiry list）</translation>
    </message>
    <message>
        <source>Abbreviation: %1</source>
        <translation>缩写：%1</translation>
    </message>
    <message>
        <source>A path level without a tag of its own</source>
        <translation>路径中的一层，本身不是标签</translation>
    </message>
    <message>
        <source>Owned by %1: its head or an administrator edits it</source>
        <translation>归属 %1：由该部门负责人或管理员修改</translation>
    </message>
    <message>
        <source>Deeper than five levels: the rest of the path is shown flat</source>
        <translation>超过五层：其余路径平铺显示</translation>
    </message>
    <message>
        <source>Saving the new order in WeCom…</source>
        <translation>正在把新顺序保存到企业微信…</translation>
    </message>
</context>
<context>
    <name>TagTreeView</name>
    <message>
        <source>Find a tag: 中文, pinyin, gyx, V3</source>
        <translation>查找标签：中文、拼音、gyx、V3</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %2 tags used</source>
        <translation>
            <numerusform>已用 %1 / %2 个标签</numerusform>
        </translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>New tag…</source>
        <translation>新建标签…</translation>
    </message>
    <message>
        <source>New tag group…</source>
        <translation>新建标签组…</translation>
    </message>
    <message>
        <source>New branch tag group…</source>
        <translation>新建分公司标签组…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Abbreviation…</source>
        <translation>缩写…</translation>
    </message>
    <message>
        <source>Pin to favourites</source>
        <translation>固定到常用标签</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Migrate to another tag…</source>
        <translation>迁移到其他标签…</translation>
    </message>
    <message>
        <source>Adopt under TagDesk&apos;s app…</source>
        <translation>收编到本应用…</translation>
    </message>
    <message numerus="yes">
        <source>%n group(s) near the cap</source>
        <translation>
            <numerusform>%n 个标签组接近上限</numerusform>
        </translation>
    </message>
    <message>
        <source>No tag matches “%1”</source>
        <translation>没有与“%1”匹配的标签</translation>
    </message>
    <message>
        <source>Request sent</source>
        <translation>已提交申请</translation>
    </message>
    <message>
        <source>Unpin from favourites</source>
        <translation>从常用标签中移除</translation>
    </message>
    <message>
        <source>Only an administrator or a department head may create tag groups.</source>
        <translation>只有管理员或部门负责人可以新建标签组。</translation>
    </message>
    <message>
        <source>Only an administrator or the head of a branch (a department the policy gives a branch admin) may create branch tag groups.</source>
        <translation>只有管理员或分公司负责人可以新建分公司标签组（分公司即策略中设有分公司管理员的部门）。</translation>
    </message>
    <message>
        <source>Deleting needs an administrator&apos;s approval: TagDesk sends them a request.</source>
        <translation>删除需要管理员批准：TagDesk 会向管理员提交申请。</translation>
    </message>
    <message>
        <source>Tag order</source>
        <translation>标签顺序</translation>
    </message>
</context>
<context>
    <name>TagsEditor</name>
    <message>
        <source>tags: name, pinyin or initials</source>
        <translation>标签：名称、拼音或首字母</translation>
    </message>
</context>
<context>
    <name>TeamFilters</name>
    <message>
        <source>Saved filter %1 for the team.</source>
        <translation>已为团队保存筛选 %1。</translation>
    </message>
    <message>
        <source>Deleted the team&apos;s saved filter %1.</source>
        <translation>已删除团队的已保存筛选 %1。</translation>
    </message>
</context>
<context>
    <name>TeamSettingsPoller</name>
    <message>
        <source>Team settings not refreshed; using the copy on this computer. %1</source>
        <translation>团队设置未更新，正在使用本机的副本。%1</translation>
    </message>
</context>
<context>
    <name>UnfinishedBatchesDialog</name>
    <message>
        <source>Unfinished tag batches</source>
        <translation>未完成的标签批次</translation>
    </message>
    <message>
        <source>These batches stopped before all their calls were sent (the app was closed, the pilot is waiting, or the team server could not be reached for a while). Resume sends exactly the calls still pending.</source>
        <translation>这些批次在所有调用发送完之前停止了（程序被关闭、试运行等待确认，或暂时连不上团队服务器）。继续将只发送仍待处理的调用。</translation>
    </message>
    <message>
        <source>These batches stopped before all their calls were sent (the app was closed, the pilot is waiting, or WeCom refused for a while). Resume sends exactly the calls still pending.</source>
        <translation>这些批次在所有调用发送完之前停止了（程序被关闭、试运行等待确认，或企业微信暂时拒绝）。继续将只发送仍待处理的调用。</translation>
    </message>
    <message>
        <source>%1 pending · %2 applied · %3 failed</source>
        <translation>待处理&#xa0;%1 · 已应用&#xa0;%2 · 失败&#xa0;%3</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Cancel batch</source>
        <translation>取消批次</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <source>Batch %1 cancelled: %2 will not be sent; what was applied stays (the audit log can revert it).</source>
        <translation>已取消批次 %1：%2不再发送；已应用的更改保留（可在审计日志中回滚）。</translation>
    </message>
</context>
<context>
    <name>UseridDialog</name>
    <message>
        <source>Your WeCom account</source>
        <translation>你的企业微信账号</translation>
    </message>
    <message>
        <source>TagDesk records who made every change. Enter your own WeCom userid for the profile %1; it is saved with the profile.</source>
        <translation>TagDesk 会记录每项更改由谁所做。请输入你在配置 %1 中的企业微信账号（userid），它将随配置保存。</translation>
    </message>
    <message>
        <source>WeCom userid, e.g. zhangsan</source>
        <translation>企业微信账号，例如 zhangsan</translation>
    </message>
    <message>
        <source>Reading the corp&apos;s members…</source>
        <translation>正在读取企业成员……</translation>
    </message>
    <message>
        <source>Cannot read the corp&apos;s members: %1</source>
        <translation>无法读取企业成员：%1</translation>
    </message>
    <message>
        <source>%1 is not a member of this corp.</source>
        <translation>%1 不是本企业的成员。</translation>
    </message>
</context>
<context>
    <name>WordsEditor</name>
    <message>
        <source>any of</source>
        <translation>包含任一</translation>
    </message>
    <message>
        <source>words, separated by 、 or ,</source>
        <translation>词语，用 、 或 , 分隔</translation>
    </message>
</context>
<context>
    <name>_Counts</name>
    <message numerus="yes">
        <source>%1 relations</source>
        <translation>
            <numerusform>%1 个客户关系</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 customers</source>
        <translation>
            <numerusform>%1 位客户</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 API calls</source>
        <translation>
            <numerusform>%1 次 API 调用</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 tags</source>
        <translation>
            <numerusform>%1 个标签</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 rules</source>
        <translation>
            <numerusform>%1 条规则</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 live codes</source>
        <translation>
            <numerusform>%1 个活码</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 messages</source>
        <translation>
            <numerusform>%1 条消息</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 lines with problems</source>
        <translation>
            <numerusform>%1 行有问题</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 rows</source>
        <translation>
            <numerusform>%1 行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 events</source>
        <translation>
            <numerusform>%1 个事件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 tag expiries</source>
        <translation>
            <numerusform>%1 条标签到期记录</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 suggestions</source>
        <translation>
            <numerusform>%1 条建议</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 problems</source>
        <translation>
            <numerusform>%1 个问题</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 selected</source>
        <translation>已选 %1 个</translation>
    </message>
</context>
<context>
    <name>_Labels</name>
    <message>
        <source>Tag added</source>
        <translation>添加标签</translation>
    </message>
    <message>
        <source>Tag removed</source>
        <translation>移除标签</translation>
    </message>
    <message>
        <source>Tag created</source>
        <translation>创建标签</translation>
    </message>
    <message>
        <source>Tag renamed</source>
        <translation>重命名标签</translation>
    </message>
    <message>
        <source>Tag deleted</source>
        <translation>删除标签</translation>
    </message>
    <message>
        <source>Tags reordered</source>
        <translation>调整标签顺序</translation>
    </message>
    <message>
        <source>Group created</source>
        <translation>创建标签组</translation>
    </message>
    <message>
        <source>Group renamed</source>
        <translation>重命名标签组</translation>
    </message>
    <message>
        <source>Group deleted</source>
        <translation>删除标签组</translation>
    </message>
    <message>
        <source>Groups reordered</source>
        <translation>调整标签组顺序</translation>
    </message>
    <message>
        <source>Deleted tag restored</source>
        <translation>恢复已删除的标签</translation>
    </message>
    <message>
        <source>Customer added</source>
        <translation>添加客户</translation>
    </message>
    <message>
        <source>Customer deleted</source>
        <translation>删除客户</translation>
    </message>
    <message>
        <source>Exclusive set added</source>
        <translation>新增互斥标签组</translation>
    </message>
    <message>
        <source>Exclusive set removed</source>
        <translation>删除互斥标签组</translation>
    </message>
    <message>
        <source>Abbreviation set</source>
        <translation>设置缩写</translation>
    </message>
    <message>
        <source>Team filter saved</source>
        <translation>保存团队筛选</translation>
    </message>
    <message>
        <source>Team filter deleted</source>
        <translation>删除团队筛选</translation>
    </message>
    <message>
        <source>Suggested favourites set</source>
        <translation>设置团队推荐的常用标签</translation>
    </message>
    <message>
        <source>Auto-tagging keywords set</source>
        <translation>设置自动打标关键词</translation>
    </message>
    <message>
        <source>Auto-tagging keywords removed</source>
        <translation>删除自动打标关键词</translation>
    </message>
    <message>
        <source>Refused by the team server</source>
        <translation>团队服务器拒绝</translation>
    </message>
    <message>
        <source>Team policy changed</source>
        <translation>修改团队策略</translation>
    </message>
    <message>
        <source>Approval requested</source>
        <translation>提交审批申请</translation>
    </message>
    <message>
        <source>Request approved</source>
        <translation>批准申请</translation>
    </message>
    <message>
        <source>Request rejected</source>
        <translation>驳回申请</translation>
    </message>
    <message>
        <source>Request expired</source>
        <translation>申请过期</translation>
    </message>
    <message>
        <source>Request closed: the tag was gone</source>
        <translation>申请关闭：标签已不存在</translation>
    </message>
    <message>
        <source>Request failed</source>
        <translation>申请执行失败</translation>
    </message>
    <message>
        <source>Restored from a request&apos;s snapshot</source>
        <translation>从申请快照恢复</translation>
    </message>
    <message>
        <source>Request withdrawn</source>
        <translation>撤回申请</translation>
    </message>
    <message>
        <source>Team rule added</source>
        <translation>新增团队规则</translation>
    </message>
    <message>
        <source>Team rule changed</source>
        <translation>修改团队规则</translation>
    </message>
    <message>
        <source>Team rule enabled</source>
        <translation>启用团队规则</translation>
    </message>
    <message>
        <source>Team rule disabled</source>
        <translation>停用团队规则</translation>
    </message>
    <message>
        <source>Team rule removed</source>
        <translation>删除团队规则</translation>
    </message>
    <message>
        <source>Tag or group edited</source>
        <translation>修改标签或标签组</translation>
    </message>
    <message>
        <source>Rule-group tag edited</source>
        <translation>修改规则组标签</translation>
    </message>
    <message>
        <source>Rule group edited</source>
        <translation>修改规则组</translation>
    </message>
    <message>
        <source>Rule group deleted</source>
        <translation>删除规则组</translation>
    </message>
    <message>
        <source>Live code created</source>
        <translation>新建活码</translation>
    </message>
    <message>
        <source>Live code changed</source>
        <translation>修改活码</translation>
    </message>
    <message>
        <source>Live code deleted</source>
        <translation>删除活码</translation>
    </message>
    <message>
        <source>App message sent</source>
        <translation>发送应用消息</translation>
    </message>
    <message>
        <source>By hand</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批量</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Migration</source>
        <translation>迁移</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>回滚</translation>
    </message>
    <message>
        <source>Seen at sync</source>
        <translation>同步时发现</translation>
    </message>
    <message>
        <source>Auto-tagging</source>
        <translation>自动打标</translation>
    </message>
    <message>
        <source>Tag library edit</source>
        <translation>标签库编辑</translation>
    </message>
    <message>
        <source>Team settings</source>
        <translation>团队设置</translation>
    </message>
    <message>
        <source>Through the team server</source>
        <translation>经团队服务器</translation>
    </message>
    <message>
        <source>On a phone (WeCom callback)</source>
        <translation>手机端（企业微信回调）</translation>
    </message>
    <message>
        <source>Governance</source>
        <translation>标签治理</translation>
    </message>
    <message>
        <source>Tag restore</source>
        <translation>恢复标签</translation>
    </message>
    <message>
        <source>Order reconciliation</source>
        <translation>订单对账</translation>
    </message>
    <message>
        <source>Tag expiry</source>
        <translation>标签到期</translation>
    </message>
    <message>
        <source>Live code</source>
        <translation>活码</translation>
    </message>
    <message>
        <source>Pre-tag</source>
        <translation>预打标签</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>in its pilot</source>
        <translation>试点中</translation>
    </message>
    <message>
        <source>running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>%1 · team journal on %2</source>
        <translation>%1 · 团队日志（%2）</translation>
    </message>
    <message>
        <source>WeCom client / unknown, seen at sync</source>
        <translation>企业微信客户端 / 未知，同步时发现</translation>
    </message>
    <message>
        <source>probably %1</source>
        <translation>可能是 %1</translation>
    </message>
    <message>
        <source>made between %1 and %2</source>
        <translation>发生在 %1 至 %2 之间</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>The app secret is wrong or was reset: look it up in the admin console (App Management) and enter it in File → Connection settings…; the tagging waiting to be sent goes on once it is saved.</source>
        <translation>应用 Secret 不正确或已重置：请在管理后台「应用管理」中查看 Secret，再在 文件 → 连接设置… 中输入；保存后，待发的打标会继续发送。</translation>
    </message>
    <message>
        <source>This computer&apos;s IP is not in the app&apos;s trusted IP list: an administrator adds it in the app&apos;s settings (then click Retry in the status bar), or enter a relay with a fixed IP as the API base in File → Connection settings…; the tagging waiting to be sent goes on after either.</source>
        <translation>本机 IP 不在应用的企业可信 IP 列表中：请管理员在应用设置中添加（然后点状态栏中的“重试”），或在 文件 → 连接设置… 中把 API 地址改为固定 IP 的中转地址；无论哪种方式，待发的打标都会继续发送。</translation>
    </message>
    <message>
        <source>Or, in the TagDesk window: File → Log in to the team server….</source>
        <translation>或在 TagDesk 窗口中：文件 → 登录团队服务器…。</translation>
    </message>
</context>
</TS>
