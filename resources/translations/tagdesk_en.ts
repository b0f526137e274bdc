<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AbbreviationDialog</name>
    <message>
        <source>Abbreviation</source>
        <translation>Abbreviation</translation>
    </message>
    <message>
        <source>e.g. V3; empty removes it</source>
        <translation>e.g. V3; empty removes it</translation>
    </message>
    <message>
        <source>Shared with the whole team; type it in any tag search.</source>
        <translation>Shared with the whole team; type it in any tag search.</translation>
    </message>
</context>
<context>
    <name>AdoptDialog</name>
    <message>
        <source>Adopt tag group</source>
        <translation>Adopt tag group</translation>
    </message>
    <message>
        <source>WeCom lets only the app that created a group change it. Adopting re-creates the group &quot;%1&quot; under TagDesk&apos;s app with the same tags, and moves every customer onto them as one batch you can undo. WeCom keeps group names unique, so the new group needs another name while the old one exists.</source>
        <translation>WeCom lets only the app that created a group change it. Adopting re-creates the group &quot;%1&quot; under TagDesk&apos;s app with the same tags, and moves every customer onto them as one batch you can undo. WeCom keeps group names unique, so the new group needs another name while the old one exists.</translation>
    </message>
    <message>
        <source>New group</source>
        <translation>New group</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Why</translation>
    </message>
    <message>
        <source>For the administrators, when the adoption needs their approval</source>
        <translation>For the administrators, when the adoption needs their approval</translation>
    </message>
    <message>
        <source>Adopt</source>
        <translation>Adopt</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>%1 (%2 to create), %3 carry them: %4 in all, about %5.</source>
        <translation>%1 (%2 to create), %3 carry them: %4 in all, about %5.</translation>
    </message>
    <message>
        <source>WeCom has not refused an edit of this group yet; if this app owns it, edit it directly instead.</source>
        <translation>WeCom has not refused an edit of this group yet; if this app owns it, edit it directly instead.</translation>
    </message>
    <message>
        <source>Not every customer was moved; retry or continue the batch, then adopt again.</source>
        <translation>Not every customer was moved; retry or continue the batch, then adopt again.</translation>
    </message>
    <message>
        <source>Adopted: every customer is on &quot;%1&quot;. An admin deletes the old group &quot;%2&quot; in the WeCom admin console; then the new group can be renamed back.</source>
        <translation>Adopted: every customer is on &quot;%1&quot;. An admin deletes the old group &quot;%2&quot; in the WeCom admin console; then the new group can be renamed back.</translation>
    </message>
</context>
<context>
    <name>AppContext</name>
    <message>
        <source>Waiting for the writes before it to finish (a batch being sent holds them until its last call); it starts as soon as they are done.</source>
        <translation>Waiting for the writes before it to finish (a batch being sent holds them until its last call); it starts as soon as they are done.</translation>
    </message>
    <message numerus="yes">
        <source>Remove %1 from %2 customer(s)</source>
        <translation>
            <numerusform>Remove %1 from %2 customer</numerusform>
            <numerusform>Remove %1 from %2 customers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Add %1 to %2 customer(s)</source>
        <translation>
            <numerusform>Add %1 to %2 customer</numerusform>
            <numerusform>Add %1 to %2 customers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Removed %1 from %2 customer(s)</source>
        <translation>
            <numerusform>Removed %1 from %2 customer</numerusform>
            <numerusform>Removed %1 from %2 customers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Added %1 to %2 customer(s)</source>
        <translation>
            <numerusform>Added %1 to %2 customer</numerusform>
            <numerusform>Added %1 to %2 customers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ApprovalsDialog</name>
    <message>
        <source>Approvals and team policy</source>
        <translation>Approvals and team policy</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Send approval code</source>
        <translation>Send approval code</translation>
    </message>
    <message>
        <source>Six digits from the WeCom message</source>
        <translation>Six digits from the WeCom message</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>Why it is rejected</source>
        <translation>Why it is rejected</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>Restore and re-tag</source>
        <translation>Restore and re-tag</translation>
    </message>
    <message>
        <source>Withdraw request</source>
        <translation>Withdraw request</translation>
    </message>
    <message>
        <source>Save policy</source>
        <translation>Save policy</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Requests</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>Policy</translation>
    </message>
    <message>
        <source>Decided by</source>
        <translation>Decided by</translation>
    </message>
    <message>
        <source>Why requested</source>
        <translation>Why requested</translation>
    </message>
    <message>
        <source>Reading from the team server…</source>
        <translation>Reading from the team server…</translation>
    </message>
    <message>
        <source>Asking the team server to send you an approval code…</source>
        <translation>Asking the team server to send you an approval code…</translation>
    </message>
    <message>
        <source>Approving request %1…</source>
        <translation>Approving request %1…</translation>
    </message>
    <message>
        <source>Request %1 was approved and carried out.</source>
        <translation>Request %1 was approved and carried out.</translation>
    </message>
    <message>
        <source>Request %1 was rejected; the requester is told.</source>
        <translation>Request %1 was rejected; the requester is told.</translation>
    </message>
    <message>
        <source>Restored %1 and re-tagged %2.</source>
        <translation>Restored %1 and re-tagged %2.</translation>
    </message>
    <message>
        <source>Withdraw request %1 (%2)? The administrators will no longer see it; to make this change later, send a new request.</source>
        <translation>Withdraw request %1 (%2)? The administrators will no longer see it; to make this change later, send a new request.</translation>
    </message>
    <message>
        <source>Request %1 was withdrawn.</source>
        <translation>Request %1 was withdrawn.</translation>
    </message>
    <message numerus="yes">
        <source>%1 requests waiting for a decision.</source>
        <translation>
            <numerusform>%1 request waiting for a decision.</numerusform>
            <numerusform>%1 requests waiting for a decision.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of your requests waiting for an administrator.</source>
        <translation>
            <numerusform>%1 of your requests is waiting for an administrator.</numerusform>
            <numerusform>%1 of your requests are waiting for an administrator.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (%2, %3)</source>
        <translation>%1 (%2, %3)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <source>You are %1 (%2), managing %3.</source>
        <translation>You are %1, %2 of %3.</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>administrator</translation>
    </message>
    <message>
        <source>department head</source>
        <translation>department head</translation>
    </message>
    <message>
        <source>branch administrator</source>
        <translation>branch administrator</translation>
    </message>
    <message>
        <source>member</source>
        <translation>member</translation>
    </message>
    <message>
        <source>The team policy was saved.</source>
        <translation>The team policy was saved.</translation>
    </message>
    <message>
        <source>Delete tag</source>
        <translation>Delete tag</translation>
    </message>
    <message>
        <source>Delete group</source>
        <translation>Delete group</translation>
    </message>
    <message>
        <source>Rename tag</source>
        <translation>Rename tag</translation>
    </message>
    <message>
        <source>Adopt group</source>
        <translation>Adopt group</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Expired</translation>
    </message>
    <message>
        <source>Closed: the tag is gone</source>
        <translation>Closed: the tag is gone</translation>
    </message>
    <message>
        <source>Failed when carried out</source>
        <translation>Failed when carried out</translation>
    </message>
    <message>
        <source>You are %1 (%2).</source>
        <translation>You are %1, %2.</translation>
    </message>
    <message>
        <source>An approval code was sent to you through WeCom; it is valid for %1 minutes.</source>
        <translation>An approval code was sent to you through WeCom; it is valid for %1 minutes.</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>Requester</source>
        <translation>Requester</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Customers</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>ArrivalsDialog</name>
    <message>
        <source>Live codes and pre-tags</source>
        <translation>Live codes and pre-tags</translation>
    </message>
    <message>
        <source>Customers added through a live code get its tags, and a pre-tag tags its person once they are added: after each sync (in team mode the team server tags live codes&apos; customers at once).</source>
        <translation>Customers added through a live code get its tags, and a pre-tag tags its person once they are added: after each sync (in team mode the team server tags live codes&apos; customers at once).</translation>
    </message>
    <message>
        <source>State, e.g. expo2026</source>
        <translation>State, e.g. expo2026</translation>
    </message>
    <message>
        <source>Members&apos; userids, separated by ,</source>
        <translation>Members&apos; userids, separated by ,</translation>
    </message>
    <message>
        <source>Tags for its customers (group:name), separated by ,</source>
        <translation>Tags for its customers (group:name), separated by ,</translation>
    </message>
    <message>
        <source>Create live code</source>
        <translation>Create live code</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Remove…</translation>
    </message>
    <message>
        <source>Live codes</source>
        <translation>Live codes</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Report</translation>
    </message>
    <message>
        <source>Pre-tags</source>
        <translation>Pre-tags</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Members</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>Tagged</source>
        <translation>Tagged</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>Remark</translation>
    </message>
    <message>
        <source>Code id</source>
        <translation>Code id</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Until</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>Cancel pre-tag</source>
        <translation>Cancel pre-tag</translation>
    </message>
    <message>
        <source>%1 (department)</source>
        <translation>%1 (department)</translation>
    </message>
    <message>
        <source>Live code %1 changed.</source>
        <translation>Live code %1 changed.</translation>
    </message>
    <message>
        <source>Remove live code</source>
        <translation>Remove live code</translation>
    </message>
    <message>
        <source>Delete the live code %1 in WeCom? Its QR code stops working and customers who add through it are no longer tagged.</source>
        <translation>Delete the live code %1 in WeCom? Its QR code stops working and customers who add through it are no longer tagged.</translation>
    </message>
    <message>
        <source>Live code %1 removed.</source>
        <translation>Live code %1 removed.</translation>
    </message>
    <message>
        <source>Customer id</source>
        <translation>Customer id</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>waiting</translation>
    </message>
    <message>
        <source>applied</source>
        <translation>applied</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>expired</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <source>Live code %1 created.</source>
        <translation>Live code %1 created.</translation>
    </message>
</context>
<context>
    <name>AudienceBar</name>
    <message>
        <source>and</source>
        <translation>and</translation>
    </message>
    <message>
        <source>%1:</source>
        <translation>%1:</translation>
    </message>
    <message>
        <source>or</source>
        <translation>or</translation>
    </message>
    <message>
        <source>Remove %1 from the audience</source>
        <translation>Remove %1 from the audience</translation>
    </message>
    <message>
        <source>Audience:</source>
        <translation>Audience:</translation>
    </message>
    <message>
        <source>Tags of one group are joined with OR, groups with AND, as in WeCom&apos;s mass messaging.</source>
        <translation>Tags of one group are joined with OR, groups with AND, as in WeCom&apos;s mass messaging.</translation>
    </message>
    <message>
        <source>Click tags in the tree: OR within a group, AND across groups, as WeCom&apos;s mass messaging picks customers.</source>
        <translation>Click tags in the tree: OR within a group, AND across groups, as WeCom&apos;s mass messaging picks customers.</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>Clear the audience</source>
        <translation>Clear the audience</translation>
    </message>
</context>
<context>
    <name>AuditBatchesModel</name>
    <message>
        <source>Last change</source>
        <translation>Last change</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>Operators</source>
        <translation>Operators</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>Changes</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Added</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>Removed</translation>
    </message>
    <message>
        <source>Tree edits</source>
        <translation>Tree edits</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>%1 · not in a batch</source>
        <translation>%1 · not in a batch</translation>
    </message>
</context>
<context>
    <name>AuditFilterBar</name>
    <message>
        <source>All time</source>
        <translation>All time</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Last 24 hours</translation>
    </message>
    <message>
        <source>Last %1 days</source>
        <translation>Last %1 days</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>Custom range</translation>
    </message>
    <message>
        <source>All operators</source>
        <translation>All operators</translation>
    </message>
    <message>
        <source>Also changes seen at sync on their relations</source>
        <translation>Also changes seen at sync on their relations</translation>
    </message>
    <message>
        <source>WeCom does not say who made a change seen at sync; with this, an operator also matches those on relations they follow (the probable operator)</source>
        <translation>WeCom does not say who made a change seen at sync; with this, an operator also matches those on relations they follow (the probable operator)</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>All departments</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>All actions</translation>
    </message>
    <message>
        <source>All sources</source>
        <translation>All sources</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>All tags</translation>
    </message>
    <message>
        <source>All groups</source>
        <translation>All groups</translation>
    </message>
    <message>
        <source>Customer name or external_userid</source>
        <translation>Customer name or external_userid</translation>
    </message>
    <message>
        <source>Batch id</source>
        <translation>Batch id</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Until</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Group</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
</context>
<context>
    <name>AuditRowsModel</name>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Owner</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Group</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>(row %1 is missing: run the journal check)</source>
        <translation>(row %1 is missing: run the journal check)</translation>
    </message>
</context>
<context>
    <name>AuditViewer</name>
    <message>
        <source>Audit log</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Rows</translation>
    </message>
    <message>
        <source>Batches</source>
        <translation>Batches</translation>
    </message>
    <message>
        <source>Show every batch again</source>
        <translation>Show every batch again</translation>
    </message>
    <message>
        <source>Show customer</source>
        <translation>Show customer</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Export xlsx…</source>
        <translation>Export xlsx…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <source>Revert batch…</source>
        <translation>Revert batch…</translation>
    </message>
    <message>
        <source>Revert operator&apos;s changes in period…</source>
        <translation>Revert operator&apos;s changes in period…</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>Only: %1</source>
        <translation>Only: %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 changes · %2 ms</source>
        <translation>
            <numerusform>%1 change · %2 ms</numerusform>
            <numerusform>%1 changes · %2 ms</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 batches</source>
        <translation>
            <numerusform>%1 batch</numerusform>
            <numerusform>%1 batches</numerusform>
        </translation>
    </message>
    <message>
        <source>Undone by batch %1 · %2</source>
        <translation>Undone by batch %1 · %2</translation>
    </message>
    <message>
        <source>Redone by batch %1 · %2</source>
        <translation>Redone by batch %1 · %2</translation>
    </message>
    <message>
        <source>Reverted by batch %1 · %2</source>
        <translation>Reverted by batch %1 · %2</translation>
    </message>
    <message numerus="yes">
        <source>Exported %1 rows to %2</source>
        <translation>
            <numerusform>Exported %1 row to %2</numerusform>
            <numerusform>Exported %1 rows to %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Owner</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Group</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Added</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>Removed</translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <source>%1 · not in a batch</source>
        <translation>%1 · not in a batch</translation>
    </message>
    <message>
        <source>Export the audit log</source>
        <translation>Export the audit log</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>Preparing the revert…</source>
        <translation>Preparing the revert…</translation>
    </message>
    <message>
        <source>Revert %1</source>
        <translation>Revert %1</translation>
    </message>
    <message>
        <source>Revert %1: the pilot is through (%2 restored); continue or cancel the rest in its window</source>
        <translation>Revert %1: the pilot is through (%2 restored); continue or cancel the rest in its window</translation>
    </message>
    <message>
        <source>Revert %1: %2 restored, %3 failed, %4 still queued</source>
        <translation>Revert %1: %2 restored, %3 failed, %4 still queued</translation>
    </message>
    <message>
        <source>Reverting…</source>
        <translation>Reverting…</translation>
    </message>
</context>
<context>
    <name>AutoTagReviewWindow</name>
    <message>
        <source>Choose a time window and press Simulate: nothing is written until you start.</source>
        <translation>Choose a time window and press Simulate: nothing is written until you start.</translation>
    </message>
    <message numerus="yes">
        <source>%1 chat messages stored. Choose a time window and press Simulate: nothing is written until you start.</source>
        <translation>
            <numerusform>%1 chat message stored. Choose a time window and press Simulate: nothing is written until you start.</numerusform>
            <numerusform>%1 chat messages stored. Choose a time window and press Simulate: nothing is written until you start.</numerusform>
        </translation>
    </message>
    <message>
        <source>No chats yet: import a chat file (JSONL or CSV) first.</source>
        <translation>No chats yet: import a chat file (JSONL or CSV) first.</translation>
    </message>
    <message>
        <source>Auto-tagging from chats</source>
        <translation>Auto-tagging from chats</translation>
    </message>
    <message>
        <source>Messages from</source>
        <translation>Messages from</translation>
    </message>
    <message>
        <source>to</source>
        <translation>to</translation>
    </message>
    <message>
        <source>Tags (empty: every tag with keywords)</source>
        <translation>Tags (empty: every tag with keywords)</translation>
    </message>
    <message>
        <source>Min. confidence</source>
        <translation>Min. confidence</translation>
    </message>
    <message>
        <source>Also read what members sent</source>
        <translation>Also read what members sent</translation>
    </message>
    <message>
        <source>Simulate</source>
        <translation>Simulate</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Import chats…</source>
        <translation>Import chats…</translation>
    </message>
    <message>
        <source>Keywords…</source>
        <translation>Keywords…</translation>
    </message>
    <message>
        <source>Import the valid lines</source>
        <translation>Import the valid lines</translation>
    </message>
    <message>
        <source>Accept (A)</source>
        <translation>Accept (A)</translation>
    </message>
    <message>
        <source>Reject (R)</source>
        <translation>Reject (R)</translation>
    </message>
    <message>
        <source>Accept all shown</source>
        <translation>Accept all shown</translation>
    </message>
    <message>
        <source>Reject all shown</source>
        <translation>Reject all shown</translation>
    </message>
    <message>
        <source>Accepts the suggestions shown that are not decided yet; accepted, rejected and reverted ones keep their verdict</source>
        <translation>Accepts the suggestions shown that are not decided yet; accepted, rejected and reverted ones keep their verdict</translation>
    </message>
    <message>
        <source>Rejects the suggestions shown that are not decided yet; accepted, rejected and reverted ones keep their verdict</source>
        <translation>Rejects the suggestions shown that are not decided yet; accepted, rejected and reverted ones keep their verdict</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>All tags</translation>
    </message>
    <message>
        <source>Preview accepted</source>
        <translation>Preview accepted</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>The time window ends before it starts: choose a first day on or before %1.</source>
        <translation>The time window ends before it starts: choose a first day on or before %1.</translation>
    </message>
    <message>
        <source>Reading the chats…</source>
        <translation>Reading the chats…</translation>
    </message>
    <message>
        <source>nothing learnt from your tags yet: no customer has it confirmed (%1 against it kept until one has)</source>
        <translation>nothing learnt from your tags yet: no customer has it confirmed (%1 against it kept until one has)</translation>
    </message>
    <message>
        <source>Every suggestion shown is decided already: to change some, select them and press A or R.</source>
        <translation>Every suggestion shown is decided already: to change some, select them and press A or R.</translation>
    </message>
    <message>
        <source>%1 accepted · %2 rejected · %3 reverted · %4 open</source>
        <translation>%1 accepted · %2 rejected · %3 reverted · %4 open</translation>
    </message>
    <message>
        <source>%1 accepted · %2 rejected · %4 open</source>
        <translation>%1 accepted · %2 rejected · %4 open</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; to tag (%2) · %3 already tagged · %4 left out for exclusive tags · about %5</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; to tag (%2) · %3 already tagged · %4 left out for exclusive tags · about %5</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; to tag (%2) · %3 already tagged · about %5</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; to tag (%2) · %3 already tagged · about %5</translation>
    </message>
    <message>
        <source>+ %1: %2</source>
        <translation>+ %1: %2</translation>
    </message>
    <message>
        <source>%1: %2, nothing was imported. Fix them, or import the valid ones (%3).</source>
        <translation>%1: %2, nothing was imported. Fix them, or import the valid ones (%3).</translation>
    </message>
    <message>
        <source>%1: %2 stored on the team server, %3 already stored, %4.</source>
        <translation>%1: %2 stored on the team server, %3 already stored, %4.</translation>
    </message>
    <message>
        <source>%1: %2 stored on the team server, %3 already stored.</source>
        <translation>%1: %2 stored on the team server, %3 already stored.</translation>
    </message>
    <message>
        <source>%1: %2 stored on the team server, %4.</source>
        <translation>%1: %2 stored on the team server, %4.</translation>
    </message>
    <message>
        <source>%1: %2 stored on the team server.</source>
        <translation>%1: %2 stored on the team server.</translation>
    </message>
    <message>
        <source>%1: %2 stored, %3 already stored, %4.</source>
        <translation>%1: %2 stored, %3 already stored, %4.</translation>
    </message>
    <message>
        <source>%1: %2 stored, %3 already stored.</source>
        <translation>%1: %2 stored, %3 already stored.</translation>
    </message>
    <message>
        <source>%1: %2 stored, %4.</source>
        <translation>%1: %2 stored, %4.</translation>
    </message>
    <message>
        <source>%1: %2 stored.</source>
        <translation>%1: %2 stored.</translation>
    </message>
    <message numerus="yes">
        <source>…and %1 more</source>
        <translation>
            <numerusform>…and %1 more line</numerusform>
            <numerusform>…and %1 more lines</numerusform>
        </translation>
    </message>
    <message>
        <source>The table below is the simulation from before this import: press Simulate to include the new messages.</source>
        <translation>The table below is the simulation from before this import: press Simulate to include the new messages.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; from %2 · &lt;b&gt;%3&lt;/b&gt;, %4 would add a tag · %5 of reviews and confirmed tags used for training</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; from %2 · &lt;b&gt;%3&lt;/b&gt;, %4 would add a tag · %5 of reviews and confirmed tags used for training</translation>
    </message>
    <message numerus="yes">
        <source>%1 customer messages</source>
        <translation>
            <numerusform>%1 customer message</numerusform>
            <numerusform>%1 customer messages</numerusform>
        </translation>
    </message>
    <message>
        <source>trained on %1 for it (%2 with a confirmed tag, %3 by accepted suggestions) and %4 against</source>
        <translation>trained on %1 for it (%2 with a confirmed tag, %3 by accepted suggestions) and %4 against</translation>
    </message>
    <message>
        <source>nothing learnt from your tags yet: no customer has it confirmed</source>
        <translation>nothing learnt from your tags yet: no customer has it confirmed</translation>
    </message>
    <message>
        <source>%1: %2, %3 would add, %4 already tagged · %5</source>
        <translation>%1: %2, %3 would add, %4 already tagged · %5</translation>
    </message>
    <message>
        <source>Import chats</source>
        <translation>Import chats</translation>
    </message>
    <message>
        <source>Chats (*.jsonl *.csv)</source>
        <translation>Chats (*.jsonl *.csv)</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>Importing %1…</translation>
    </message>
</context>
<context>
    <name>BadRowsDialog</name>
    <message>
        <source>Rows that cannot be read</source>
        <translation>Rows that cannot be read</translation>
    </message>
    <message>
        <source>%1 of the file cannot be read and nothing was queued. Fix them and import again, or skip them and queue the good ones (%2).</source>
        <translation>%1 of the file cannot be read and nothing was queued. Fix them and import again, or skip them and queue the good ones (%2).</translation>
    </message>
    <message numerus="yes">
        <source>Skip them, queue %1 rows</source>
        <translation>
            <numerusform>Skip them, queue %1 row</numerusform>
            <numerusform>Skip them, queue %1 rows</numerusform>
        </translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
</context>
<context>
    <name>BatchProgressDialog</name>
    <message>
        <source>Tag batch</source>
        <translation>Tag batch</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>BatchProgressPanel</name>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message numerus="yes">
        <source>Cancelled: %1 calls were not sent.</source>
        <translation>
            <numerusform>Cancelled: %1 call was not sent.</numerusform>
            <numerusform>Cancelled: %1 calls were not sent.</numerusform>
        </translation>
    </message>
    <message>
        <source>Continue with the rest</source>
        <translation>Continue with the rest</translation>
    </message>
    <message>
        <source>Cancel batch</source>
        <translation>Cancel batch</translation>
    </message>
    <message>
        <source>Retry failed</source>
        <translation>Retry failed</translation>
    </message>
    <message>
        <source>Show them in the table</source>
        <translation>Show them in the table</translation>
    </message>
    <message>
        <source>Filter the customer table to the relations this batch has written so far</source>
        <translation>Filter the customer table to the relations this batch has written so far</translation>
    </message>
    <message>
        <source>Batch %1 · %2</source>
        <translation>Batch %1 · %2</translation>
    </message>
    <message>
        <source>Cancelling after the calls in flight…</source>
        <translation>Cancelling after the calls in flight…</translation>
    </message>
    <message>
        <source>Running the pilot…</source>
        <translation>Running the pilot…</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Running…</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>Paused: calls in flight finish, nothing new is sent.</source>
        <translation>Paused: calls in flight finish, nothing new is sent.</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>Done.</translation>
    </message>
    <message>
        <source>Stopped: %1 The rest stays queued; continue when the cause is fixed.</source>
        <translation>Stopped: %1 The rest stays queued; continue when the cause is fixed.</translation>
    </message>
    <message>
        <source>Pilot finished. Check these customers in the table or on the phone, then continue with the remaining %1 or cancel.</source>
        <translation>Pilot finished. Check these customers in the table or on the phone, then continue with the remaining %1 or cancel.</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>Cancelled: the remaining calls will not be sent.</source>
        <translation>Cancelled: the remaining calls will not be sent.</translation>
    </message>
    <message>
        <source>%1 of %2 applied · %3 failed · %4 skipped · %5 pending · %6 in %7 s (%8 of %9 calls/min)</source>
        <translation>%1 of %2 applied · %3 failed · %4 skipped · %5 pending · %6 in %7 s (%8 of %9 calls/min)</translation>
    </message>
    <message>
        <source>%1 of %2 applied · %3 failed · %4 not sent</source>
        <translation>%1 of %2 applied · %3 failed · %4 not sent</translation>
    </message>
    <message>
        <source>Batch %1 waits after its pilot: %2 not sent yet. Tags → Unfinished batches… continues or cancels it.</source>
        <translation>Batch %1 waits after its pilot: %2 not sent yet. Tags → Unfinished batches… continues or cancels it.</translation>
    </message>
</context>
<context>
    <name>BigToggleDialog</name>
    <message>
        <source>Tag many customers</source>
        <translation>Tag many customers</translation>
    </message>
    <message numerus="yes">
        <source>Remove %1 from %2 customer(s)? That is %2 WeCom call(s), one per customer.</source>
        <translation>
            <numerusform>Remove %1 from %2 customer? That is %2 WeCom call, one per customer.</numerusform>
            <numerusform>Remove %1 from %2 customers? That is %2 WeCom calls, one per customer.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Add %1 to %2 customer(s)? That is %2 WeCom call(s), one per customer.</source>
        <translation>
            <numerusform>Add %1 to %2 customer? That is %2 WeCom call, one per customer.</numerusform>
            <numerusform>Add %1 to %2 customers? That is %2 WeCom calls, one per customer.</numerusform>
        </translation>
    </message>
    <message>
        <source>Preview in Retag…</source>
        <translation>Preview in Retag…</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>BranchGroupDialog</name>
    <message>
        <source>New branch tag group</source>
        <translation>New branch tag group</translation>
    </message>
    <message>
        <source>Branch department</source>
        <translation>Branch department</translation>
    </message>
    <message>
        <source>WeCom shows the group&apos;s tags only to this department&apos;s members; its head manages the rule group</source>
        <translation>WeCom shows the group&apos;s tags only to this department&apos;s members; its head manages the rule group</translation>
    </message>
</context>
<context>
    <name>ChoiceEditor</name>
    <message>
        <source>is</source>
        <translation>is</translation>
    </message>
</context>
<context>
    <name>CompareEditor</name>
    <message>
        <source>(and …)</source>
        <translation>(and …)</translation>
    </message>
</context>
<context>
    <name>ConditionTree</name>
    <message>
        <source>Condition</source>
        <translation>Condition</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Add condition</source>
        <translation>Add condition</translation>
    </message>
    <message>
        <source>Add group</source>
        <translation>Add group</translation>
    </message>
    <message>
        <source>Remove (Del)</source>
        <translation>Remove (Del)</translation>
    </message>
    <message>
        <source>Removes the selected row and what it holds</source>
        <translation>Removes the selected row and what it holds</translation>
    </message>
</context>
<context>
    <name>ConnectionDialog</name>
    <message>
        <source>Connection settings</source>
        <translation>Connection settings</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profile</translation>
    </message>
    <message>
        <source>Team server</source>
        <translation>Team server</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>Login</translation>
    </message>
    <message>
        <source>Corp ID</source>
        <translation>Corp ID</translation>
    </message>
    <message>
        <source>API base</source>
        <translation>API base</translation>
    </message>
    <message>
        <source>App secret</source>
        <translation>App secret</translation>
    </message>
    <message>
        <source>New secret</source>
        <translation>New secret</translation>
    </message>
    <message>
        <source>The app secret (Secret) is kept in the operating system&apos;s keyring only. After it was reset in the admin console (App Management → this app), enter the new one: TagDesk tries it with WeCom first and stores it when WeCom accepts it. A new API base (a relay with a fixed IP) is tried the same way before it is saved.</source>
        <translation>The app secret (Secret) is kept in the operating system&apos;s keyring only. After it was reset in the admin console (App Management → this app), enter the new one: TagDesk tries it with WeCom first and stores it when WeCom accepts it. A new API base (a relay with a fixed IP) is tried the same way before it is saved.</translation>
    </message>
    <message>
        <source>This is a team profile: the WeCom app secret lives on the team server, which calls WeCom for every desktop. This computer keeps only its login to the server; an administrator changes the secret on the server.</source>
        <translation>This is a team profile: the WeCom app secret lives on the team server, which calls WeCom for every desktop. This computer keeps only its login to the server; an administrator changes the secret on the server.</translation>
    </message>
    <message>
        <source>The demo corp runs in a sandbox on this computer and needs no app secret.</source>
        <translation>The demo corp runs in a sandbox on this computer and needs no app secret.</translation>
    </message>
    <message>
        <source>Paste the secret from the admin console</source>
        <translation>Paste the secret from the admin console</translation>
    </message>
    <message>
        <source>WeCom&apos;s address, or a relay with a fixed IP when this computer&apos;s IP is not trusted (60020)</source>
        <translation>WeCom&apos;s address, or a relay with a fixed IP when this computer&apos;s IP is not trusted (60020)</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Hide</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Show</translation>
    </message>
    <message>
        <source>Show or hide the secret you typed</source>
        <translation>Show or hide the secret you typed</translation>
    </message>
    <message>
        <source>Test and save</source>
        <translation>Test and save</translation>
    </message>
    <message>
        <source>Save anyway</source>
        <translation>Save anyway</translation>
    </message>
    <message>
        <source>Store this secret without WeCom&apos;s approval, e.g. while this computer&apos;s IP is not yet trusted</source>
        <translation>Store this secret without WeCom&apos;s approval, e.g. while this computer&apos;s IP is not yet trusted</translation>
    </message>
    <message>
        <source>Cancel test</source>
        <translation>Cancel test</translation>
    </message>
    <message>
        <source>Log in to the team server…</source>
        <translation>Log in to the team server…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>The secret stored meanwhile from the command line is in use now.</source>
        <translation>The secret stored meanwhile from the command line is in use now.</translation>
    </message>
    <message>
        <source>Reading the keyring…</source>
        <translation>Reading the keyring…</translation>
    </message>
    <message>
        <source>Stored in the OS keyring, but WeCom refuses it: enter the new one below</source>
        <translation>Stored in the OS keyring, but WeCom refuses it: enter the new one below</translation>
    </message>
    <message>
        <source>Stored in the OS keyring (not shown)</source>
        <translation>Stored in the OS keyring (not shown)</translation>
    </message>
    <message>
        <source>Not stored: enter it below</source>
        <translation>Not stored: enter it below</translation>
    </message>
    <message>
        <source>Logged in as %1</source>
        <translation>Logged in as %1</translation>
    </message>
    <message>
        <source>Not logged in</source>
        <translation>Not logged in</translation>
    </message>
    <message>
        <source>Enter the new secret first.</source>
        <translation>Enter the new secret first.</translation>
    </message>
    <message>
        <source>Asking WeCom (%1) whether it takes this secret…</source>
        <translation>Asking WeCom (%1) whether it takes this secret…</translation>
    </message>
    <message>
        <source>The API base must be an http(s) address, such as https://qyapi.weixin.qq.com/cgi-bin/ or a relay&apos;s.</source>
        <translation>The API base must be an http(s) address, such as https://qyapi.weixin.qq.com/cgi-bin/ or a relay&apos;s.</translation>
    </message>
    <message>
        <source>Test cancelled; nothing was stored.</source>
        <translation>Test cancelled; nothing was stored.</translation>
    </message>
    <message>
        <source>Storing the secret in the OS keyring…</source>
        <translation>Storing the secret in the OS keyring…</translation>
    </message>
    <message>
        <source>Saving the API base…</source>
        <translation>Saving the API base…</translation>
    </message>
    <message>
        <source>Nothing was stored.</source>
        <translation>Nothing was stored.</translation>
    </message>
    <message>
        <source>WeCom does not accept this secret (errcode %1): copy it again from the admin console, App Management → this app → Secret.</source>
        <translation>WeCom does not accept this secret (errcode %1): copy it again from the admin console, App Management → this app → Secret.</translation>
    </message>
    <message>
        <source>This computer&apos;s IP is not in the app&apos;s trusted IP list (errcode 60020): an administrator adds it in the app&apos;s settings, or enter a relay with a fixed IP as the API base. If the secret is right, “Save anyway” keeps it.</source>
        <translation>This computer&apos;s IP is not in the app&apos;s trusted IP list (errcode 60020): an administrator adds it in the app&apos;s settings, or enter a relay with a fixed IP as the API base. If the secret is right, “Save anyway” keeps it.</translation>
    </message>
    <message>
        <source>This computer&apos;s IP, %1 as WeCom sees it, is not in the app&apos;s trusted IP list (errcode 60020): an administrator adds it in the app&apos;s settings, or enter a relay with a fixed IP as the API base. If the secret is right, “Save anyway” keeps it.</source>
        <translation>This computer&apos;s IP, %1 as WeCom sees it, is not in the app&apos;s trusted IP list (errcode 60020): an administrator adds it in the app&apos;s settings, or enter a relay with a fixed IP as the API base. If the secret is right, “Save anyway” keeps it.</translation>
    </message>
    <message>
        <source>The keyring holds no secret for this profile: enter it with the new API base.</source>
        <translation>The keyring holds no secret for this profile: enter it with the new API base.</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>TagDesk – unexpected error</source>
        <translation>TagDesk – unexpected error</translation>
    </message>
    <message>
        <source>Tag changes already queued are safe: they stay in the outbox, keep being sent, and anything left unsent is offered for resuming at the next start.</source>
        <translation>Tag changes already queued are safe: they stay in the outbox, keep being sent, and anything left unsent is offered for resuming at the next start.</translation>
    </message>
    <message>
        <source>no log file</source>
        <translation>no log file</translation>
    </message>
    <message>
        <source>Log file: %1</source>
        <translation>Log file: %1</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>Copy details</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>Open log folder</translation>
    </message>
    <message numerus="yes">
        <source>%1 errors; the latest: %2</source>
        <translation>
            <numerusform>%1 error; the latest: %2</numerusform>
            <numerusform>%1 errors; the latest: %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copied</translation>
    </message>
</context>
<context>
    <name>CrashHandler</name>
    <message>
        <source>TagDesk ran into an unexpected error.</source>
        <translation>TagDesk ran into an unexpected error.</translation>
    </message>
    <message>
        <source>TagDesk closed unexpectedly last time.</source>
        <translation>TagDesk closed unexpectedly last time.</translation>
    </message>
    <message>
        <source>Qt or Python stopped the program; this is what it was doing.</source>
        <translation>Qt or Python stopped the program; this is what it was doing.</translation>
    </message>
</context>
<context>
    <name>CreateGroupDialog</name>
    <message>
        <source>New tag group in %1</source>
        <translation>New tag group in %1</translation>
    </message>
    <message>
        <source>New tag group</source>
        <translation>New tag group</translation>
    </message>
    <message>
        <source>Group name</source>
        <translation>Group name</translation>
    </message>
    <message>
        <source>First tag</source>
        <translation>First tag</translation>
    </message>
</context>
<context>
    <name>CreateTagDialog</name>
    <message>
        <source>New tag</source>
        <translation>New tag</translation>
    </message>
    <message>
        <source>Name, or a path such as 教育/K12</source>
        <translation>Name, or a path such as 教育/K12</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Group</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Create a tag group first.</source>
        <translation>Create a tag group first.</translation>
    </message>
    <message>
        <source>Type a name after “%1/” for a tag under it, or clear the field for a tag beside it.</source>
        <translation>Type a name after “%1/” for a tag under it, or clear the field for a tag beside it.</translation>
    </message>
</context>
<context>
    <name>CustomerTableModel</name>
    <message>
        <source>Corp tags on this follow relation</source>
        <translation>Corp tags on this follow relation</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Company</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Owner</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>Remark</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Added</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>(no longer in the cache)</source>
        <translation>(no longer in the cache)</translation>
    </message>
    <message>
        <source>Tagging failed: %1</source>
        <translation>Tagging failed: %1</translation>
    </message>
    <message>
        <source>Writing to WeCom…</source>
        <translation>Writing to WeCom…</translation>
    </message>
    <message>
        <source>Saved in WeCom</source>
        <translation>Saved in WeCom</translation>
    </message>
</context>
<context>
    <name>DeletedTagsDialog</name>
    <message>
        <source>Deleted tags</source>
        <translation>Deleted tags</translation>
    </message>
    <message>
        <source>Before a tag is deleted, TagDesk keeps the customer relations that carried it. Restoring re-creates the tag (WeCom gives it a new id) and tags those relations again, as one batch that can be undone.</source>
        <translation>Before a tag is deleted, TagDesk keeps the customer relations that carried it. Restoring re-creates the tag (WeCom gives it a new id) and tags those relations again, as one batch that can be undone.</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Group</translation>
    </message>
    <message>
        <source>Relations</source>
        <translation>Relations</translation>
    </message>
    <message>
        <source>By</source>
        <translation>By</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Restore</translation>
    </message>
    <message>
        <source>No tag has been deleted yet.</source>
        <translation>No tag has been deleted yet.</translation>
    </message>
    <message>
        <source>Choose a deleted tag to see what restoring it would do.</source>
        <translation>Choose a deleted tag to see what restoring it would do.</translation>
    </message>
    <message>
        <source>restored as %1</source>
        <translation>restored as %1</translation>
    </message>
    <message>
        <source>can be restored</source>
        <translation>can be restored</translation>
    </message>
    <message>
        <source>Already restored as %1 (batch %2).</source>
        <translation>Already restored as %1 (batch %2).</translation>
    </message>
    <message>
        <source>「%1」 exists again in its group; restoring tags %2 with it.</source>
        <translation>「%1」 exists again in its group; restoring tags %2 with it.</translation>
    </message>
    <message>
        <source>Restoring re-creates 「%1」 and tags %2 with it again.</source>
        <translation>Restoring re-creates 「%1」 and tags %2 with it again.</translation>
    </message>
    <message numerus="yes">
        <source> %1 relations gone since (customer deleted or follower changed) will be skipped.</source>
        <translation>
            <numerusform> %1 relation gone since (customer deleted or follower changed) will be skipped.</numerusform>
            <numerusform> %1 relations gone since (customer deleted or follower changed) will be skipped.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DeletionRequestDialog</name>
    <message>
        <source>Why delete it (optional, shown to the administrators)</source>
        <translation>Why delete it (optional, shown to the administrators)</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Reason:</translation>
    </message>
    <message>
        <source>Send request</source>
        <translation>Send request</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <source>No customer selected</source>
        <translation>No customer selected</translation>
    </message>
    <message>
        <source>Select a row to see the customer here.</source>
        <translation>Select a row to see the customer here.</translation>
    </message>
    <message>
        <source>Customer ID</source>
        <translation>Customer ID</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Copied %1</source>
        <translation>Copied %1</translation>
    </message>
    <message>
        <source>WeChat user</source>
        <translation>WeChat user</translation>
    </message>
    <message>
        <source>WeCom user</source>
        <translation>WeCom user</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Company</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>Position</translation>
    </message>
    <message>
        <source>Followed by</source>
        <translation>Followed by</translation>
    </message>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation>
            <numerusform>%n member</numerusform>
            <numerusform>%n members</numerusform>
        </translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>Remark</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Added</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>no corp tags</source>
        <translation>no corp tags</translation>
    </message>
    <message>
        <source>Personal tags</source>
        <translation>Personal tags</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>read-only</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Expires</translation>
    </message>
    <message>
        <source>Loading personal tags from WeCom…</source>
        <translation>Loading personal tags from WeCom…</translation>
    </message>
    <message>
        <source>Load personal tags from WeCom</source>
        <translation>Load personal tags from WeCom</translation>
    </message>
    <message>
        <source>Recent changes</source>
        <translation>Recent changes</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>No changes recorded yet.</source>
        <translation>No changes recorded yet.</translation>
    </message>
    <message>
        <source>Behaviour events</source>
        <translation>Behaviour events</translation>
    </message>
    <message>
        <source>No behaviour events.</source>
        <translation>No behaviour events.</translation>
    </message>
    <message>
        <source>Added</source>
        <comment>a recent change</comment>
        <translation>Added</translation>
    </message>
    <message>
        <source>Removed</source>
        <comment>a recent change</comment>
        <translation>Removed</translation>
    </message>
</context>
<context>
    <name>EventDaysEditor</name>
    <message>
        <source>event types (empty: any)</source>
        <translation>event types (empty: any)</translation>
    </message>
</context>
<context>
    <name>EventEditor</name>
    <message>
        <source>happened</source>
        <translation>happened</translation>
    </message>
    <message>
        <source>event types (empty: any)</source>
        <translation>event types (empty: any)</translation>
    </message>
    <message>
        <source>any time</source>
        <translation>any time</translation>
    </message>
    <message>
        <source>within </source>
        <translation>within </translation>
    </message>
    <message>
        <source> days</source>
        <translation> days</translation>
    </message>
    <message>
        <source>times </source>
        <translation>times </translation>
    </message>
    <message>
        <source>(any value)</source>
        <translation>(any value)</translation>
    </message>
</context>
<context>
    <name>EventTableModel</name>
    <message>
        <source>file import</source>
        <translation>file import</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>Member</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
</context>
<context>
    <name>EventsBrowser</name>
    <message>
        <source>Behaviour events</source>
        <translation>Behaviour events</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>external_userid, Enter to apply</source>
        <translation>external_userid, Enter to apply</translation>
    </message>
    <message>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <source>To</source>
        <translation>To</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>Any</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>All types</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Import…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation>Cancel export</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Events</translation>
    </message>
    <message>
        <source>Per type per day</source>
        <translation>Per type per day</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Day</translation>
    </message>
    <message>
        <source>Reading events…</source>
        <translation>Reading events…</translation>
    </message>
    <message numerus="yes">
        <source>%1 events match: %2</source>
        <translation>
            <numerusform>%1 event matches: %2</numerusform>
            <numerusform>%1 events match: %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %1 events to %2</source>
        <translation>
            <numerusform>Exported %1 event to %2</numerusform>
            <numerusform>Exported %1 events to %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Export events</source>
        <translation>Export events</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel workbook (*.xlsx);;CSV (*.csv)</translation>
    </message>
    <message>
        <source>Exporting to %1… %2</source>
        <translation>Exporting to %1… %2</translation>
    </message>
</context>
<context>
    <name>EventsDialog</name>
    <message>
        <source>Import events</source>
        <translation>Import events</translation>
    </message>
    <message>
        <source>Behaviour events (a form submitted, content viewed, an order paid, a course attended) from a CSV or JSONL file, for rule conditions. Every line is checked first; with bad lines nothing is stored until you import the valid ones.</source>
        <translation>Behaviour events (a form submitted, content viewed, an order paid, a course attended) from a CSV or JSONL file, for rule conditions. Every line is checked first; with bad lines nothing is stored until you import the valid ones.</translation>
    </message>
    <message>
        <source>a .csv or .jsonl file</source>
        <translation>a .csv or .jsonl file</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>Import the valid lines</source>
        <translation>Import the valid lines</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Event type</source>
        <translation>Event type</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Events</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Events (*.csv *.jsonl *.ndjson *.json);;All files (*)</source>
        <translation>Events (*.csv *.jsonl *.ndjson *.json);;All files (*)</translation>
    </message>
    <message>
        <source>Choose an events file first.</source>
        <translation>Choose an events file first.</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>Importing %1…</translation>
    </message>
    <message>
        <source>%1: %2, nothing was imported. Fix them, or import the valid ones (%3).</source>
        <translation>%1: %2, nothing was imported. Fix them, or import the valid ones (%3).</translation>
    </message>
    <message>
        <source>%1 holds no event.</source>
        <translation>%1 holds no event.</translation>
    </message>
    <message>
        <source>%1: %2 stored, %3 already stored, %4.</source>
        <translation>%1: %2 stored, %3 already stored, %4.</translation>
    </message>
</context>
<context>
    <name>ExclusiveSetsDialog</name>
    <message>
        <source>Mutually exclusive tags</source>
        <translation>Mutually exclusive tags</translation>
    </message>
    <message>
        <source>A customer should carry at most one tag of each set. Batches and imports list relations that would break a set as conflicts and skip them; the health report counts customers that already do.</source>
        <translation>A customer should carry at most one tag of each set. Batches and imports list relations that would break a set as conflicts and skip them; the health report counts customers that already do.</translation>
    </message>
    <message>
        <source>e.g. 成交状态</source>
        <translation>e.g. 成交状态</translation>
    </message>
    <message>
        <source>tag names separated by commas, e.g. 已成交, 无效客户</source>
        <translation>tag names separated by commas, e.g. 已成交, 无效客户</translation>
    </message>
    <message>
        <source>Add set</source>
        <translation>Add set</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <translation>Remove selected</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
</context>
<context>
    <name>ExpiringTagsDialog</name>
    <message>
        <source>Expiring tags</source>
        <translation>Expiring tags</translation>
    </message>
    <message>
        <source>Tags set to expire, soonest first, as the team server keeps them: added by a team rule with an expiry, by the retag dialog&apos;s Expires field or the command tagdesk expiry set. The team server removes each when it runs out, even while this app is closed, as a batch that can be undone.</source>
        <translation>Tags set to expire, soonest first, as the team server keeps them: added by a team rule with an expiry, by the retag dialog&apos;s Expires field or the command tagdesk expiry set. The team server removes each when it runs out, even while this app is closed, as a batch that can be undone.</translation>
    </message>
    <message>
        <source>Tags set to expire, soonest first: added by a rule with an expiry, by the retag dialog&apos;s Expires field or the command tagdesk expiry set. A sync removes those that ran out; Remove due now does it at once, as one batch that can be undone.</source>
        <translation>Tags set to expire, soonest first: added by a rule with an expiry, by the retag dialog&apos;s Expires field or the command tagdesk expiry set. A sync removes those that ran out; Remove due now does it at once, as one batch that can be undone.</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>Member</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>Remove due now</source>
        <translation>Remove due now</translation>
    </message>
    <message>
        <source>Change expiry…</source>
        <translation>Change expiry…</translation>
    </message>
    <message>
        <source>Not up to date: the team server cannot be reached (copy of %1).</source>
        <translation>Not up to date: the team server cannot be reached (copy of %1).</translation>
    </message>
    <message>
        <source>%1 (due)</source>
        <translation>%1 (due)</translation>
    </message>
    <message numerus="yes">
        <source>%1 tags set to expire, %2 due now.</source>
        <translation>
            <numerusform>%1 tag set to expire, %2 due now.</numerusform>
            <numerusform>%1 tags set to expire, %2 due now.</numerusform>
        </translation>
    </message>
    <message>
        <source>Removing the tags that ran out…</source>
        <translation>Removing the tags that ran out…</translation>
    </message>
    <message>
        <source>Nothing is due.</source>
        <translation>Nothing is due.</translation>
    </message>
    <message numerus="yes">
        <source>Removed %1 expired tags (batch %2, %3 failed).</source>
        <translation>
            <numerusform>Removed %1 expired tag (batch %2, %3 failed).</numerusform>
            <numerusform>Removed %1 expired tags (batch %2, %3 failed).</numerusform>
        </translation>
    </message>
    <message>
        <source>Change expiry</source>
        <translation>Change expiry</translation>
    </message>
    <message>
        <source>The selected tags expire after (30d, 12h, 2w):</source>
        <translation>The selected tags expire after (30d, 12h, 2w):</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export customers</source>
        <translation>Export customers</translation>
    </message>
    <message>
        <source>selection</source>
        <translation>selection</translation>
    </message>
    <message>
        <source>Every row gets the customer&apos;s details and all its tags. Tick the tag groups that should also get a column of their own. Fill in add_tags or remove_tags and import the file to change tags.</source>
        <translation>Every row gets the customer&apos;s details and all its tags. Tick the tag groups that should also get a column of their own. Fill in add_tags or remove_tags and import the file to change tags.</translation>
    </message>
    <message>
        <source>File (.xlsx)</source>
        <translation>File (.xlsx)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message numerus="yes">
        <source>%1 customer relations · %2</source>
        <translation>
            <numerusform>%1 customer relation · %2</numerusform>
            <numerusform>%1 customer relations · %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Group columns:</source>
        <translation>Group columns:</translation>
    </message>
    <message>
        <source>Choose a file first.</source>
        <translation>Choose a file first.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>Exporting… %1 of %2</source>
        <translation>Exporting… %1 of %2</translation>
    </message>
    <message numerus="yes">
        <source>Exported %1 relations to %2</source>
        <translation>
            <numerusform>Exported %1 relation to %2</numerusform>
            <numerusform>Exported %1 relations to %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
</context>
<context>
    <name>FavouritesBar</name>
    <message>
        <source>Pin tags here: drag them from the tree or right-click → Pin</source>
        <translation>Pin tags here: drag them from the tree or right-click → Pin</translation>
    </message>
    <message>
        <source>Favourites</source>
        <translation>Favourites</translation>
    </message>
    <message>
        <source>Suggest these favourites to the team</source>
        <translation>Suggest these favourites to the team</translation>
    </message>
    <message>
        <source>Your favourites are now the team&apos;s suggestion.</source>
        <translation>Your favourites are now the team&apos;s suggestion.</translation>
    </message>
    <message numerus="yes">
        <source>Add the team&apos;s suggested favourites (%n)</source>
        <translation>
            <numerusform>Add the team&apos;s suggested favourite (%n)</numerusform>
            <numerusform>Add the team&apos;s suggested favourites (%n)</numerusform>
        </translation>
    </message>
    <message>
        <source>Added the team&apos;s suggested favourites.</source>
        <translation>Added the team&apos;s suggested favourites.</translation>
    </message>
</context>
<context>
    <name>FavouritesModel</name>
    <message>
        <source>Abbreviation: %1</source>
        <translation>Abbreviation: %1</translation>
    </message>
    <message>
        <source>Click to add or remove it on the selected customers</source>
        <translation>Click to add or remove it on the selected customers</translation>
    </message>
    <message>
        <source>Alt+%1 or click: add or remove it on the selected customers</source>
        <translation>Alt+%1 or click: add or remove it on the selected customers</translation>
    </message>
    <message>
        <source>Drag to reorder</source>
        <translation>Drag to reorder</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Filter, e.g. 高意向 AND NOT 已成交, 客户等级:VIP, owner:zhangsan, added&gt;=2025-01</source>
        <translation>Filter, e.g. 高意向 AND NOT 已成交, 客户等级:VIP, owner:zhangsan, added&gt;=2025-01</translation>
    </message>
    <message>
        <source>Recent filters</source>
        <translation>Recent filters</translation>
    </message>
    <message>
        <source>Saved filters</source>
        <translation>Saved filters</translation>
    </message>
    <message>
        <source>No recent filters</source>
        <translation>No recent filters</translation>
    </message>
    <message>
        <source>Save current filter…</source>
        <translation>Save current filter…</translation>
    </message>
    <message>
        <source>%1 (team)</source>
        <translation>%1 (team)</translation>
    </message>
    <message>
        <source>Delete saved filter</source>
        <translation>Delete saved filter</translation>
    </message>
</context>
<context>
    <name>FilterSyntaxDialog</name>
    <message>
        <source>Filter syntax</source>
        <translation>Filter syntax</translation>
    </message>
    <message>
        <source>Relations tagged 高意向</source>
        <translation>Relations tagged 高意向</translation>
    </message>
    <message>
        <source>Both tags (a space means AND)</source>
        <translation>Both tags (a space means AND)</translation>
    </message>
    <message>
        <source>高意向 but not 已流失</source>
        <translation>高意向 but not 已流失</translation>
    </message>
    <message>
        <source>The tag VIP of the group 客户等级</source>
        <translation>The tag VIP of the group 客户等级</translation>
    </message>
    <message>
        <source>Any tag of the group 客户等级 (also written 分组:客户等级)</source>
        <translation>Any tag of the group 客户等级 (also written 分组:客户等级)</translation>
    </message>
    <message>
        <source>教育 and every tag below it, such as 教育/K12</source>
        <translation>教育 and every tag below it, such as 教育/K12</translation>
    </message>
    <message>
        <source>Either tag, on customers of the member zhangsan (userid or name)</source>
        <translation>Either tag, on customers of the member zhangsan (userid or name)</translation>
    </message>
    <message>
        <source>Owners in 销售一部 or its sub-departments, added on or after 1 January 2025</source>
        <translation>Owners in 销售一部 or its sub-departments, added on or after 1 January 2025</translation>
    </message>
    <message>
        <source>Not added through either channel</source>
        <translation>Not added through either channel</translation>
    </message>
    <message>
        <source>北京 in the customer&apos;s name, company, remark, description or phone</source>
        <translation>北京 in the customer&apos;s name, company, remark, description or phone</translation>
    </message>
    <message>
        <source>Three or more corp tags, added before 30 June 2025</source>
        <translation>Three or more corp tags, added before 30 June 2025</translation>
    </message>
    <message>
        <source>Operators: AND (also 且, &amp; or just a space), OR (或, |), NOT (非, - or !). NOT comes first, then AND, then OR; group with parentheses.</source>
        <translation>Operators: AND (also 且, &amp; or just a space), OR (或, |), NOT (非, - or !). NOT comes first, then AND, then OR; group with parentheses.</translation>
    </message>
    <message>
        <source>Put a name with spaces or operators in quotes: &quot;高 意向&quot; or 「高 意向」.</source>
        <translation>Put a name with spaces or operators in quotes: &quot;高 意向&quot; or 「高 意向」.</translation>
    </message>
    <message>
        <source>Fields: owner: (负责人:), dept: (部门:), state: (渠道:), text: (搜索:), added (添加时间), before: and after:, tags (标签数).</source>
        <translation>Fields: owner: (负责人:), dept: (部门:), state: (渠道:), text: (搜索:), added (添加时间), before: and after:, tags (标签数).</translation>
    </message>
    <message>
        <source>A date is a day, a month or a year: 2025-01-31, 2025-01 or 2025; compare with = != &lt; &lt;= &gt; &gt;=.</source>
        <translation>A date is a day, a month or a year: 2025-01-31, 2025-01 or 2025; compare with = != &lt; &lt;= &gt; &gt;=.</translation>
    </message>
    <message>
        <source>A mistake is pointed out under the filter bar, at the character where it is; Ctrl+F jumps to the filter bar.</source>
        <translation>A mistake is pointed out under the filter bar, at the character where it is; Ctrl+F jumps to the filter bar.</translation>
    </message>
    <message>
        <source>How to write a filter</source>
        <translation>How to write a filter</translation>
    </message>
</context>
<context>
    <name>HealthModel</name>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>Finding</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>Relations</source>
        <translation>Relations</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplicate</translation>
    </message>
    <message>
        <source>Exclusive conflict</source>
        <translation>Exclusive conflict</translation>
    </message>
    <message>
        <source>Followers disagree</source>
        <translation>Followers disagree</translation>
    </message>
    <message>
        <source>Zombie</source>
        <translation>Zombie</translation>
    </message>
    <message>
        <source>Risky name</source>
        <translation>Risky name</translation>
    </message>
    <message>
        <source>Too deep</source>
        <translation>Too deep</translation>
    </message>
    <message>
        <source>Personal duplicate</source>
        <translation>Personal duplicate</translation>
    </message>
    <message>
        <source>Empty group</source>
        <translation>Empty group</translation>
    </message>
    <message>
        <source>Group near cap</source>
        <translation>Group near cap</translation>
    </message>
    <message>
        <source>Not this app&apos;s</source>
        <translation>Not this app&apos;s</translation>
    </message>
</context>
<context>
    <name>HealthWindow</name>
    <message>
        <source>Tag health</source>
        <translation>Tag health</translation>
    </message>
    <message>
        <source>Zombie after (days)</source>
        <translation>Zombie after (days)</translation>
    </message>
    <message>
        <source>Corp tag cap</source>
        <translation>Corp tag cap</translation>
    </message>
    <message>
        <source>Tags per group</source>
        <translation>Tags per group</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>Filter to these customers</source>
        <translation>Filter to these customers</translation>
    </message>
    <message>
        <source>Select these tags</source>
        <translation>Select these tags</translation>
    </message>
    <message>
        <source>Migrate…</source>
        <translation>Migrate…</translation>
    </message>
    <message>
        <source>Adopt…</source>
        <translation>Adopt…</translation>
    </message>
    <message>
        <source>Ask WeCom which groups are ours</source>
        <translation>Ask WeCom which groups are ours</translation>
    </message>
    <message>
        <source>Checking the tag library…</source>
        <translation>Checking the tag library…</translation>
    </message>
    <message>
        <source>%1 findings.</source>
        <translation>%1 findings.</translation>
    </message>
    <message>
        <source>Asking WeCom which groups this app may change…</source>
        <translation>Asking WeCom which groups this app may change…</translation>
    </message>
    <message>
        <source>Exported %1 findings to %2.</source>
        <translation>Exported %1 findings to %2.</translation>
    </message>
    <message>
        <source>Export the health report</source>
        <translation>Export the health report</translation>
    </message>
    <message>
        <source>Only a desktop that sees the whole corp migrates tags: this one holds your own customers only (My customers), and a migration retags every customer of the tag.</source>
        <translation>Only a desktop that sees the whole corp migrates tags: this one holds your own customers only (My customers), and a migration retags every customer of the tag.</translation>
    </message>
    <message>
        <source>Only a desktop that sees the whole corp adopts tag groups: this one holds your own customers only (My customers).</source>
        <translation>Only a desktop that sees the whole corp adopts tag groups: this one holds your own customers only (My customers).</translation>
    </message>
    <message>
        <source>Only a desktop that sees the whole corp asks WeCom: this one holds your own customers only (My customers), and the question edits every tag group.</source>
        <translation>Only a desktop that sees the whole corp asks WeCom: this one holds your own customers only (My customers), and the question edits every tag group.</translation>
    </message>
    <message>
        <source>Only an administrator asks WeCom on a team profile: the question edits every tag group, and the team server lets only administrators edit them all.</source>
        <translation>Only an administrator asks WeCom on a team profile: the question edits every tag group, and the team server lets only administrators edit them all.</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <source>Import tags from a spreadsheet</source>
        <translation>Import tags from a spreadsheet</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Choose an .xlsx file with the columns external_userid, owner_userid (optional), add_tags and remove_tags. An export of your customers has them all: fill in the tags and import it back. Every row is checked before anything is written.</source>
        <translation>Choose an .xlsx file with the columns external_userid, owner_userid (optional), add_tags and remove_tags. An export of your customers has them all: fill in the tags and import it back. Every row is checked before anything is written.</translation>
    </message>
    <message>
        <source>Spreadsheet (.xlsx)</source>
        <translation>Spreadsheet (.xlsx)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>Save the template…</source>
        <translation>Save the template…</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>Cancel the check</source>
        <translation>Cancel the check</translation>
    </message>
    <message>
        <source>Choose a file first.</source>
        <translation>Choose a file first.</translation>
    </message>
    <message>
        <source>Checking every row…</source>
        <translation>Checking every row…</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %2 rows checked</source>
        <translation>
            <numerusform>%1 of %2 row checked</numerusform>
            <numerusform>%1 of %2 rows checked</numerusform>
        </translation>
    </message>
    <message>
        <source>Import spreadsheet</source>
        <translation>Import spreadsheet</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;All files (*)</source>
        <translation>Excel workbook (*.xlsx);;All files (*)</translation>
    </message>
    <message>
        <source>Save the import template</source>
        <translation>Save the import template</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>Template saved: %1</source>
        <translation>Template saved: %1</translation>
    </message>
    <message numerus="yes">
        <source>%1: all %2 rows are valid.</source>
        <translation>
            <numerusform>%1: the %2 row is valid.</numerusform>
            <numerusform>%1: all %2 rows are valid.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: no row could be read (%2). Nothing is written.</source>
        <translation>%1: no row could be read (%2). Nothing is written.</translation>
    </message>
    <message>
        <source>%1: %2, %3 valid, %4 with problems (%5). Nothing is written until they are fixed, unless you import only the valid rows.</source>
        <translation>%1: %2, %3 valid, %4 with problems (%5). Nothing is written until they are fixed, unless you import only the valid rows.</translation>
    </message>
    <message>
        <source>%1: %2, %3 valid, %4 with problems (%5). Nothing is written until they are fixed.</source>
        <translation>%1: %2, %3 valid, %4 with problems (%5). Nothing is written until they are fixed.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; to change (%2) of %3 named · %4 already as asked · %5 left out for exclusive tags</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; to change (%2) of %3 named · %4 already as asked · %5 left out for exclusive tags</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; to change (%2) of %3 named · %4 already as asked</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; to change (%2) of %3 named · %4 already as asked</translation>
    </message>
    <message>
        <source>+ %1: %2</source>
        <translation>+ %1: %2</translation>
    </message>
    <message>
        <source>− %1: %2</source>
        <translation>− %1: %2</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Import only the valid rows</source>
        <translation>Import only the valid rows</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Check again</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Import</translation>
    </message>
</context>
<context>
    <name>KeywordsDialog</name>
    <message>
        <source>Keywords per tag</source>
        <translation>Keywords per tag</translation>
    </message>
    <message>
        <source>Tag (name or group:name)</source>
        <translation>Tag (name or group:name)</translation>
    </message>
    <message>
        <source>Keywords (separated by 、 or ,)</source>
        <translation>Keywords (separated by 、 or ,)</translation>
    </message>
    <message>
        <source>Add tag</source>
        <translation>Add tag</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message numerus="yes">
        <source>Saved the keywords of %1 tags.</source>
        <translation>
            <numerusform>Saved the keywords of %1 tag.</numerusform>
            <numerusform>Saved the keywords of %1 tags.</numerusform>
        </translation>
    </message>
    <message>
        <source>Unsaved keywords</source>
        <translation>Unsaved keywords</translation>
    </message>
    <message>
        <source>The keywords were changed. Save them before closing?</source>
        <translation>The keywords were changed. Save them before closing?</translation>
    </message>
</context>
<context>
    <name>LiveCodeEditDialog</name>
    <message>
        <source>Edit live code %1</source>
        <translation>Edit live code %1</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Members</translation>
    </message>
    <message>
        <source>Departments</source>
        <translation>Departments</translation>
    </message>
    <message>
        <source>Verification</source>
        <translation>Verification</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>Remark</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>Members&apos; userids, separated by ,</source>
        <translation>Members&apos; userids, separated by ,</translation>
    </message>
    <message>
        <source>Add customers without the member confirming</source>
        <translation>Add customers without the member confirming</translation>
    </message>
    <message>
        <source>A note on the code, at most %1 characters</source>
        <translation>A note on the code, at most %1 characters</translation>
    </message>
    <message>
        <source>Tags for its customers (group:name), separated by ,</source>
        <translation>Tags for its customers (group:name), separated by ,</translation>
    </message>
    <message>
        <source>The state (at most %1 characters) is the channel the customers are counted by; no other live code may use it.</source>
        <translation>The state (at most %1 characters) is the channel the customers are counted by; no other live code may use it.</translation>
    </message>
    <message>
        <source>Department ids, separated by ,</source>
        <translation>Department ids, separated by ,</translation>
    </message>
    <message>
        <source>Department ids are whole numbers, separated by , (%1).</source>
        <translation>Department ids are whole numbers, separated by , (%1).</translation>
    </message>
    <message>
        <source>Saving the live code in WeCom…</source>
        <translation>Saving the live code in WeCom…</translation>
    </message>
</context>
<context>
    <name>LiveCodeReportView</name>
    <message>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <source>to</source>
        <translation>to</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>State / day</source>
        <translation>State / day</translation>
    </message>
    <message>
        <source>Customers added</source>
        <translation>Customers added</translation>
    </message>
    <message>
        <source>Per day</source>
        <translation>Per day</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <source>%1 added through %2 from %3 to %4.</source>
        <translation>%1 added through %2 from %3 to %4.</translation>
    </message>
    <message numerus="yes">
        <source>Exported %1 rows to %2.</source>
        <translation>
            <numerusform>Exported %1 row to %2.</numerusform>
            <numerusform>Exported %1 rows to %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>Export the live-code report</source>
        <translation>Export the live-code report</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Log in to the team server</source>
        <translation>Log in to the team server</translation>
    </message>
    <message>
        <source>Profile %1 works through the team server %2. Enter your WeCom userid: the server sends you a six-digit code as a WeCom message.</source>
        <translation>Profile %1 works through the team server %2. Enter your WeCom userid: the server sends you a six-digit code as a WeCom message.</translation>
    </message>
    <message>
        <source>WeCom userid, e.g. zhangsan</source>
        <translation>WeCom userid, e.g. zhangsan</translation>
    </message>
    <message>
        <source>Send code</source>
        <translation>Send code</translation>
    </message>
    <message>
        <source>Six digits from the WeCom message</source>
        <translation>Six digits from the WeCom message</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>WeCom userid</source>
        <translation>WeCom userid</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Enter your WeCom userid first.</source>
        <translation>Enter your WeCom userid first.</translation>
    </message>
    <message>
        <source>Asking the team server to send a code to %1…</source>
        <translation>Asking the team server to send a code to %1…</translation>
    </message>
    <message>
        <source>Logging in…</source>
        <translation>Logging in…</translation>
    </message>
    <message>
        <source>A code was sent to %1 through WeCom; it is valid for %2 minutes.</source>
        <translation>A code was sent to %1 through WeCom; it is valid for %2 minutes.</translation>
    </message>
    <message>
        <source>Press “Send code” for a new code.</source>
        <translation>Press “Send code” for a new code.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Select customers first, then press T to tag them.</source>
        <translation>Select customers first, then press T to tag them.</translation>
    </message>
    <message>
        <source>filter: %1</source>
        <translation>filter: %1</translation>
    </message>
    <message>
        <source>all customers</source>
        <translation>all customers</translation>
    </message>
    <message>
        <source>No customers to retag: select some or change the filter.</source>
        <translation>No customers to retag: select some or change the filter.</translation>
    </message>
    <message>
        <source>Nothing to export: the filter shows no customers.</source>
        <translation>Nothing to export: the filter shows no customers.</translation>
    </message>
    <message>
        <source>No unfinished batches.</source>
        <translation>No unfinished batches.</translation>
    </message>
    <message>
        <source>No favourite in slot %1: pin a tag first.</source>
        <translation>No favourite in slot %1: pin a tag first.</translation>
    </message>
    <message>
        <source>Select customers first.</source>
        <translation>Select customers first.</translation>
    </message>
    <message>
        <source>A sync is already running.</source>
        <translation>A sync is already running.</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>Cancel sync</source>
        <translation>Cancel sync</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Redo</translation>
    </message>
    <message>
        <source>Select all customers</source>
        <translation>Select all customers</translation>
    </message>
    <message>
        <source>Filter…</source>
        <translation>Filter…</translation>
    </message>
    <message>
        <source>Tag selected customers…</source>
        <translation>Tag selected customers…</translation>
    </message>
    <message>
        <source>Toggle favourite %1</source>
        <translation>Toggle favourite %1</translation>
    </message>
    <message>
        <source>Logged in to the team server as %1.</source>
        <translation>Logged in to the team server as %1.</translation>
    </message>
    <message>
        <source>WeCom did not answer; retry in a moment.</source>
        <translation>WeCom did not answer; retry in a moment.</translation>
    </message>
    <message>
        <source>WeCom answers this computer again; the tagging waiting is being sent.</source>
        <translation>WeCom answers this computer again; the tagging waiting is being sent.</translation>
    </message>
    <message>
        <source>WeCom answers this computer again.</source>
        <translation>WeCom answers this computer again.</translation>
    </message>
    <message>
        <source>The app secret stored from the command line is in use now.</source>
        <translation>The app secret stored from the command line is in use now.</translation>
    </message>
    <message>
        <source>The new app secret is stored in the OS keyring and in use.</source>
        <translation>The new app secret is stored in the OS keyring and in use.</translation>
    </message>
    <message>
        <source>WeCom is called through %1 from now on.</source>
        <translation>WeCom is called through %1 from now on.</translation>
    </message>
    <message numerus="yes">
        <source>Sending the tagging it stopped again: %n batch(es).</source>
        <translation>
            <numerusform>Sending the tagging it stopped again: %n batch.</numerusform>
            <numerusform>Sending the tagging it stopped again: %n batches.</numerusform>
        </translation>
    </message>
    <message>
        <source>Approvals (%1)…</source>
        <translation>Approvals (%1)…</translation>
    </message>
    <message>
        <source>Approvals…</source>
        <translation>Approvals…</translation>
    </message>
    <message numerus="yes">
        <source>Showing the %n relation(s) the batch wrote; change the filter to see everything again.</source>
        <translation>
            <numerusform>Showing the %n relation the batch wrote; change the filter to see everything again.</numerusform>
            <numerusform>Showing the %n relations the batch wrote; change the filter to see everything again.</numerusform>
        </translation>
    </message>
    <message>
        <source>Sync again at start</source>
        <translation>Sync again at start</translation>
    </message>
    <message>
        <source>Retag…</source>
        <translation>Retag…</translation>
    </message>
    <message>
        <source>Import tags from a spreadsheet…</source>
        <translation>Import tags from a spreadsheet…</translation>
    </message>
    <message>
        <source>Export customers…</source>
        <translation>Export customers…</translation>
    </message>
    <message>
        <source>Unfinished batches…</source>
        <translation>Unfinished batches…</translation>
    </message>
    <message>
        <source>Mutually exclusive tags…</source>
        <translation>Mutually exclusive tags…</translation>
    </message>
    <message>
        <source>Audit log…</source>
        <translation>Audit log…</translation>
    </message>
    <message>
        <source>Reports…</source>
        <translation>Reports…</translation>
    </message>
    <message>
        <source>Show all customers</source>
        <translation>Show all customers</translation>
    </message>
    <message>
        <source>Pick tags like WeCom mass messaging</source>
        <translation>Pick tags like WeCom mass messaging</translation>
    </message>
    <message>
        <source>Filter syntax</source>
        <translation>Filter syntax</translation>
    </message>
    <message>
        <source>About TagDesk</source>
        <translation>About TagDesk</translation>
    </message>
    <message>
        <source>Log in to the team server…</source>
        <translation>Log in to the team server…</translation>
    </message>
    <message>
        <source>Connection settings…</source>
        <translation>Connection settings…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>Tag tree</source>
        <translation>Tag tree</translation>
    </message>
    <message>
        <source>Customer detail</source>
        <translation>Customer detail</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>&amp;Tags</source>
        <translation>&amp;Tags</translation>
    </message>
    <message>
        <source>Tag health…</source>
        <translation>Tag health…</translation>
    </message>
    <message>
        <source>Auto-tag from chats…</source>
        <translation>Auto-tag from chats…</translation>
    </message>
    <message>
        <source>The filter no longer works (%1); showing all customers.</source>
        <translation>The filter no longer works (%1); showing all customers.</translation>
    </message>
    <message>
        <source>Find: %1</source>
        <translation>Find: %1</translation>
    </message>
    <message>
        <source>Find: %1 (no matching customer)</source>
        <translation>Find: %1 (no matching customer)</translation>
    </message>
    <message>
        <source>Sync complete: %1, %2, %3 in %4 s</source>
        <translation>Sync complete: %1, %2, %3 in %4 s</translation>
    </message>
    <message>
        <source>; the team&apos;s changes since the last sync were read in part (%1, %2 and %3 copied, the rest not read: %4): the next start or F5 reads the rest</source>
        <translation>; the team&apos;s changes since the last sync were read in part (%1, %2 and %3 copied, the rest not read: %4): the next start or F5 reads the rest</translation>
    </message>
    <message>
        <source>; %1 added or deleted elsewhere (F5 reads them)</source>
        <translation>; %1 added or deleted elsewhere (F5 reads them)</translation>
    </message>
    <message>
        <source>Deleted tags…</source>
        <translation>Deleted tags…</translation>
    </message>
    <message>
        <source>Live codes and pre-tags…</source>
        <translation>Live codes and pre-tags…</translation>
    </message>
    <message>
        <source>Rules…</source>
        <translation>Rules…</translation>
    </message>
    <message>
        <source>Expiring tags…</source>
        <translation>Expiring tags…</translation>
    </message>
    <message>
        <source>Scene templates…</source>
        <translation>Scene templates…</translation>
    </message>
    <message>
        <source>Order reconciliation…</source>
        <translation>Order reconciliation…</translation>
    </message>
    <message>
        <source>Behaviour events…</source>
        <translation>Behaviour events…</translation>
    </message>
    <message>
        <source>Import events…</source>
        <translation>Import events…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Main</translation>
    </message>
    <message>
        <source>The filter from last time no longer works (%1); showing all customers.</source>
        <translation>The filter from last time no longer works (%1); showing all customers.</translation>
    </message>
    <message>
        <source>Copy customer ID</source>
        <translation>Copy customer ID</translation>
    </message>
    <message>
        <source>Tag…</source>
        <translation>Tag…</translation>
    </message>
    <message>
        <source>Open detail</source>
        <translation>Open detail</translation>
    </message>
    <message numerus="yes">
        <source>Copied %n customer ID(s)</source>
        <translation>
            <numerusform>Copied %n customer ID</numerusform>
            <numerusform>Copied %n customer IDs</numerusform>
        </translation>
    </message>
    <message>
        <source>Click tags in the tree to pick the audience.</source>
        <translation>Click tags in the tree to pick the audience.</translation>
    </message>
    <message numerus="yes">
        <source>Tagging failed for %1 customers: %2</source>
        <translation>
            <numerusform>Tagging failed for %1 customer: %2</numerusform>
            <numerusform>Tagging failed for %1 customers: %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Tag library refreshed: %1 in %2 s (%3 WeCom calls)</source>
        <translation>Tag library refreshed: %1 in %2 s (%3 WeCom calls)</translation>
    </message>
    <message>
        <source>; the team&apos;s changes since the last sync: %1</source>
        <translation>; the team&apos;s changes since the last sync: %1</translation>
    </message>
    <message>
        <source>; the team&apos;s changes since the last sync were not read (%1): the next start or F5 reads them</source>
        <translation>; the team&apos;s changes since the last sync were not read (%1): the next start or F5 reads them</translation>
    </message>
    <message>
        <source>Sync failed: %1</source>
        <translation>Sync failed: %1</translation>
    </message>
    <message>
        <source>Sync cancelled; the cache is unchanged.</source>
        <translation>Sync cancelled; the cache is unchanged.</translation>
    </message>
    <message>
        <source>Undone: %1</source>
        <translation>Undone: %1</translation>
    </message>
    <message>
        <source>Redone: %1</source>
        <translation>Redone: %1</translation>
    </message>
    <message>
        <source>TagDesk %1 — WeCom customer tagging and auditing.</source>
        <translation>TagDesk %1 — WeCom customer tagging and auditing.</translation>
    </message>
    <message>
        <source>Data folder: %1</source>
        <translation>Data folder: %1</translation>
    </message>
    <message>
        <source>Log file: %1</source>
        <translation>Log file: %1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>TagDesk — %1</source>
        <translation>TagDesk — %1</translation>
    </message>
</context>
<context>
    <name>MembersPage</name>
    <message>
        <source>The template&apos;s live codes are made in WeCom for the members ticked here, with the tags chosen on the previous page. With no member, they are kept as data only.</source>
        <translation>The template&apos;s live codes are made in WeCom for the members ticked here, with the tags chosen on the previous page. With no member, they are kept as data only.</translation>
    </message>
    <message>
        <source>Search members</source>
        <translation>Search members</translation>
    </message>
    <message>
        <source>Other userids, separated by ,</source>
        <translation>Other userids, separated by ,</translation>
    </message>
</context>
<context>
    <name>MigrateDialog</name>
    <message>
        <source>Migrate tags</source>
        <translation>Migrate tags</translation>
    </message>
    <message>
        <source>source tags, separated by 、 or commas</source>
        <translation>source tags, separated by 、 or commas</translation>
    </message>
    <message>
        <source>an existing tag, or a new name (group:name)</source>
        <translation>an existing tag, or a new name (group:name)</translation>
    </message>
    <message>
        <source>Delete the sources once every customer is moved</source>
        <translation>Delete the sources once every customer is moved</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Run</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message numerus="yes">
        <source>Rename: one call moves all %1 relations.</source>
        <translation>
            <numerusform>Rename: one call moves the %1 relation.</numerusform>
            <numerusform>Rename: one call moves all %1 relations.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1. Run sends a request, and nothing changes until an administrator approves it.</source>
        <translation>%1. Run sends a request, and nothing changes until an administrator approves it.</translation>
    </message>
    <message>
        <source>Relabel: %1 carry a source; %2 (%3 already carry the target).</source>
        <translation>Relabel: %1 carry a source; %2 (%3 already carry the target).</translation>
    </message>
    <message>
        <source>Deleting the sources needs an administrator&apos;s approval: once every customer is moved a request is sent, and the sources stay until it is approved.</source>
        <translation>Deleting the sources needs an administrator&apos;s approval: once every customer is moved a request is sent, and the sources stay until it is approved.</translation>
    </message>
    <message>
        <source>The sources are deleted at the end: a revert can no longer put them back.</source>
        <translation>The sources are deleted at the end: a revert can no longer put them back.</translation>
    </message>
    <message>
        <source>%1 in all, about %2.</source>
        <translation>%1 in all, about %2.</translation>
    </message>
    <message>
        <source>Moves every customer of the sources onto the target. A single source going into a new name in its group is renamed: one call, whatever the number of customers. Otherwise each relation gets one call, as one batch you can undo.</source>
        <translation>Moves every customer of the sources onto the target. A single source going into a new name in its group is renamed: one call, whatever the number of customers. Otherwise each relation gets one call, as one batch you can undo.</translation>
    </message>
    <message>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <source>To</source>
        <translation>To</translation>
    </message>
    <message>
        <source>Name the sources and the target.</source>
        <translation>Name the sources and the target.</translation>
    </message>
    <message>
        <source>The target is created first.</source>
        <translation>The target is created first.</translation>
    </message>
    <message>
        <source>Not every customer was moved, so the sources were kept; retry or continue the batch, then migrate again.</source>
        <translation>Not every customer was moved, so the sources were kept; retry or continue the batch, then migrate again.</translation>
    </message>
    <message>
        <source>Migration finished.</source>
        <translation>Migration finished.</translation>
    </message>
</context>
<context>
    <name>PickerModel</name>
    <message>
        <source>Counting the selected customers…</source>
        <translation>Counting the selected customers…</translation>
    </message>
    <message>
        <source>On %1 of the %2 selected</source>
        <translation>On %1 of the %2 selected</translation>
    </message>
</context>
<context>
    <name>PilotBox</name>
    <message>
        <source>no pilot</source>
        <translation>no pilot</translation>
    </message>
    <message>
        <source> relations first</source>
        <translation> relations first</translation>
    </message>
    <message>
        <source>Pilot:</source>
        <translation>Pilot:</translation>
    </message>
</context>
<context>
    <name>PolicyForm</name>
    <message>
        <source>Administrators</source>
        <translation>Administrators</translation>
    </message>
    <message>
        <source>Department prefixes</source>
        <translation>Department prefixes</translation>
    </message>
    <message>
        <source>Groups → department</source>
        <translation>Groups → department</translation>
    </message>
    <message>
        <source>Branch admins</source>
        <translation>Branch admins</translation>
    </message>
    <message>
        <source>Members may add sub-tags in</source>
        <translation>Members may add sub-tags in</translation>
    </message>
    <message>
        <source>Restricted tagging</source>
        <translation>Restricted tagging</translation>
    </message>
    <message>
        <source>Renames needing approval above (customers)</source>
        <translation>Renames needing approval above (customers)</translation>
    </message>
    <message>
        <source>Prefix</source>
        <translation>Prefix</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>Tag group</source>
        <translation>Tag group</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>Member</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>Also administrators, by the server&apos;s --admin: %1</source>
        <translation>Also administrators, by the server&apos;s --admin: %1</translation>
    </message>
</context>
<context>
    <name>PretagForm</name>
    <message>
        <source>external_userid</source>
        <translation>external_userid</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>unionid</source>
        <translation>unionid</translation>
    </message>
    <message>
        <source>Who: the id or phone number</source>
        <translation>Who: the id or phone number</translation>
    </message>
    <message>
        <source>Tags (group:name), separated by ,</source>
        <translation>Tags (group:name), separated by ,</translation>
    </message>
    <message>
        <source> days</source>
        <translation> days</translation>
    </message>
    <message>
        <source>Dropped as expired when the person is not a customer after this many days</source>
        <translation>Dropped as expired when the person is not a customer after this many days</translation>
    </message>
    <message>
        <source>Queue pre-tag</source>
        <translation>Queue pre-tag</translation>
    </message>
    <message>
        <source>Import file…</source>
        <translation>Import file…</translation>
    </message>
    <message>
        <source>Pre-tag queued for %1.</source>
        <translation>Pre-tag queued for %1.</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Reading %1…</translation>
    </message>
    <message numerus="yes">
        <source>%1 rows cannot be read; nothing was queued.</source>
        <translation>
            <numerusform>%1 row cannot be read; nothing was queued.</numerusform>
            <numerusform>%1 rows cannot be read; nothing was queued.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Queued %1 pre-tags from the file.</source>
        <translation>
            <numerusform>Queued %1 pre-tag from the file.</numerusform>
            <numerusform>Queued %1 pre-tags from the file.</numerusform>
        </translation>
    </message>
    <message>
        <source>Import pre-tags</source>
        <translation>Import pre-tags</translation>
    </message>
    <message>
        <source>Spreadsheets (*.xlsx *.csv)</source>
        <translation>Spreadsheets (*.xlsx *.csv)</translation>
    </message>
</context>
<context>
    <name>ProblemTableModel</name>
    <message>
        <source>Row</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Suggestion</source>
        <translation>Suggestion</translation>
    </message>
</context>
<context>
    <name>ReconcileDialog</name>
    <message>
        <source>Order reconciliation</source>
        <translation>Order reconciliation</translation>
    </message>
    <message>
        <source>Compare who has a paid order with who carries the paid tag. A paying customer should carry it on every relation, a customer without a paid order on none; fixing sends one batch that can be undone.</source>
        <translation>Compare who has a paid order with who carries the paid tag. A paying customer should carry it on every relation, a customer without a paid order on none; fixing sends one batch that can be undone.</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Orders</translation>
    </message>
    <message>
        <source>a CSV or JSON file, or an http(s) URL</source>
        <translation>a CSV or JSON file, or an http(s) URL</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Paid tag</source>
        <translation>Paid tag</translation>
    </message>
    <message>
        <source>e.g. 已成交 or 客户阶段:已成交</source>
        <translation>e.g. 已成交 or 客户阶段:已成交</translation>
    </message>
    <message>
        <source>Go on without unreadable rows</source>
        <translation>Go on without unreadable rows</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Compare</translation>
    </message>
    <message>
        <source>Run now</source>
        <translation>Run now</translation>
    </message>
    <message>
        <source>The team server reconciles the orders now (team administrators only)</source>
        <translation>The team server reconciles the orders now (team administrators only)</translation>
    </message>
    <message>
        <source>Mismatch</source>
        <translation>Mismatch</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>Relations</source>
        <translation>Relations</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <source>The team server is reconciling the orders now…</source>
        <translation>The team server is reconciling the orders now…</translation>
    </message>
    <message>
        <source>Orders (*.csv *.json *.jsonl);;All files (*)</source>
        <translation>Orders (*.csv *.json *.jsonl);;All files (*)</translation>
    </message>
    <message>
        <source>Name the orders and the paid tag.</source>
        <translation>Name the orders and the paid tag.</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>Comparing…</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>missing</translation>
    </message>
    <message>
        <source>extra</source>
        <translation>extra</translation>
    </message>
    <message>
        <source>unknown customer</source>
        <translation>unknown customer</translation>
    </message>
    <message>
        <source>unreadable row</source>
        <translation>unreadable row</translation>
    </message>
    <message>
        <source>line %1</source>
        <translation>line %1</translation>
    </message>
    <message>
        <source>Paying customers: %1 · carrying the tag: %2 · missing: %3 · extra: %4 · unknown customers: %5 · unreadable rows: %6 · relations to change: %7.</source>
        <translation>Paying customers: %1 · carrying the tag: %2 · missing: %3 · extra: %4 · unknown customers: %5 · unreadable rows: %6 · relations to change: %7.</translation>
    </message>
    <message>
        <source>no order</source>
        <translation>no order</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>paid</translation>
    </message>
    <message numerus="yes">
        <source>Fix %1 relations</source>
        <translation>
            <numerusform>Fix %1 relation</numerusform>
            <numerusform>Fix %1 relations</numerusform>
        </translation>
    </message>
    <message>
        <source>Some order rows cannot be read: fix them, or tick the box to go on without them.</source>
        <translation>Some order rows cannot be read: fix them, or tick the box to go on without them.</translation>
    </message>
</context>
<context>
    <name>RenameDialog</name>
    <message>
        <source>Request a rename</source>
        <translation>Request a rename</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Rename</translation>
    </message>
    <message>
        <source>New name</source>
        <translation>New name</translation>
    </message>
    <message>
        <source>The tag is on more customers than the team lets you rename alone: TagDesk sends administrators a request, and the name stays until one approves it.</source>
        <translation>The tag is on more customers than the team lets you rename alone: TagDesk sends administrators a request, and the name stays until one approves it.</translation>
    </message>
    <message>
        <source>Why rename it (optional, shown to the administrators)</source>
        <translation>Why rename it (optional, shown to the administrators)</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Reason:</translation>
    </message>
    <message>
        <source>Send request</source>
        <translation>Send request</translation>
    </message>
</context>
<context>
    <name>ReportsWindow</name>
    <message>
        <source>Reports</source>
        <translation>Reports</translation>
    </message>
    <message>
        <source>Most used tags</source>
        <translation>Most used tags</translation>
    </message>
    <message>
        <source>Last %1 days</source>
        <translation>Last %1 days</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Show</translation>
    </message>
    <message>
        <source>Top</source>
        <translation>Top</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>Changes per day</source>
        <translation>Changes per day</translation>
    </message>
    <message>
        <source>Changes per operator</source>
        <translation>Changes per operator</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>Health</translation>
    </message>
    <message>
        <source>Save chart as PNG…</source>
        <translation>Save chart as PNG…</translation>
    </message>
    <message>
        <source>Group: %1</source>
        <translation>Group: %1</translation>
    </message>
    <message>
        <source>Whole corp</source>
        <translation>Whole corp</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>%1 (My customers)</source>
        <translation>%1 (My customers)</translation>
    </message>
    <message>
        <source>%1 (department %2)</source>
        <translation>%1 (department %2)</translation>
    </message>
    <message>
        <source>Follow relations per tag</source>
        <translation>Follow relations per tag</translation>
    </message>
    <message>
        <source>Relations</source>
        <translation>Relations</translation>
    </message>
    <message>
        <source>Journal rows per day, by source</source>
        <translation>Journal rows per day, by source</translation>
    </message>
    <message>
        <source>Changes per operator (seen-at-sync changes left out)</source>
        <translation>Changes per operator (seen-at-sync changes left out)</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>Changes</translation>
    </message>
    <message>
        <source>Tagged customers</source>
        <translation>Tagged customers</translation>
    </message>
    <message>
        <source>Untagged customers</source>
        <translation>Untagged customers</translation>
    </message>
    <message>
        <source>Customers with and without tags</source>
        <translation>Customers with and without tags</translation>
    </message>
    <message>
        <source>%1 of %2 carry no tag; %3 of %4 carry none.</source>
        <translation>%1 of %2 carry no tag; %3 of %4 carry none.</translation>
    </message>
    <message>
        <source>No mutually exclusive tag sets are defined.</source>
        <translation>No mutually exclusive tag sets are defined.</translation>
    </message>
    <message>
        <source>%1 (%2): %3 on %4 carry two or more.</source>
        <translation>%1 (%2): %3 on %4 carry two or more.</translation>
    </message>
    <message>
        <source>Save chart</source>
        <translation>Save chart</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Saved %1</translation>
    </message>
    <message>
        <source>Could not save %1</source>
        <translation>Could not save %1</translation>
    </message>
</context>
<context>
    <name>RetagDialog</name>
    <message>
        <source>Retag customers</source>
        <translation>Retag customers</translation>
    </message>
    <message>
        <source>selection</source>
        <translation>selection</translation>
    </message>
    <message>
        <source>Add / remove tags</source>
        <translation>Add / remove tags</translation>
    </message>
    <message>
        <source>Tags to add: name, pinyin or initials</source>
        <translation>Tags to add: name, pinyin or initials</translation>
    </message>
    <message>
        <source>Tags to remove</source>
        <translation>Tags to remove</translation>
    </message>
    <message>
        <source>Also change relations that would carry two mutually exclusive tags</source>
        <translation>Also change relations that would carry two mutually exclusive tags</translation>
    </message>
    <message>
        <source>Choose tags to see what would change.</source>
        <translation>Choose tags to see what would change.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; to change (%2) · %3 already as asked</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; to change (%2) · %3 already as asked</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message numerus="yes">
        <source>%1 customer relations · %2</source>
        <translation>
            <numerusform>%1 customer relation · %2</numerusform>
            <numerusform>%1 customer relations · %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Expires:</source>
        <translation>Expires:</translation>
    </message>
    <message>
        <source>Group to replace:</source>
        <translation>Group to replace:</translation>
    </message>
    <message>
        <source>Add:</source>
        <translation>Add:</translation>
    </message>
    <message>
        <source>Remove:</source>
        <translation>Remove:</translation>
    </message>
    <message>
        <source>Computing the preview…</source>
        <translation>Computing the preview…</translation>
    </message>
    <message numerus="yes">
        <source>Change %1 relations</source>
        <translation>
            <numerusform>Change %1 relation</numerusform>
            <numerusform>Change %1 relations</numerusform>
        </translation>
    </message>
    <message>
        <source>+ %1: %2 (already tagged: %3)</source>
        <translation>+ %1: %2 (already tagged: %3)</translation>
    </message>
    <message>
        <source>Replace within group</source>
        <translation>Replace within group</translation>
    </message>
    <message>
        <source>optional: the added tags are removed after 30d, 12h or 2w</source>
        <translation>optional: the added tags are removed after 30d, 12h or 2w</translation>
    </message>
    <message>
        <source>Choose a group</source>
        <translation>Choose a group</translation>
    </message>
    <message>
        <source>Empty the group</source>
        <translation>Empty the group</translation>
    </message>
    <message numerus="yes">
        <source>Remove every tag of the group %1 from %2 customer(s)? Nothing is added in its place.</source>
        <translation>
            <numerusform>Remove every tag of the group %1 from %2 customer? Nothing is added in its place.</numerusform>
            <numerusform>Remove every tag of the group %1 from %2 customers? Nothing is added in its place.</numerusform>
        </translation>
    </message>
    <message>
        <source>− %1: %2 (already absent: %3)</source>
        <translation>− %1: %2 (already absent: %3)</translation>
    </message>
    <message>
        <source>changed anyway</source>
        <translation>changed anyway</translation>
    </message>
    <message>
        <source>left out</source>
        <translation>left out</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; relations would carry two exclusive tags (%2):</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; relations would carry two exclusive tags (%2):</translation>
    </message>
    <message>
        <source>About %1 at %2 calls/min, %3 at a time</source>
        <translation>About %1 at %2 calls/min, %3 at a time</translation>
    </message>
    <message>
        <source>Start pilot (first %1)</source>
        <translation>Start pilot (first %1)</translation>
    </message>
</context>
<context>
    <name>RevertDialog</name>
    <message>
        <source>Revert %1</source>
        <translation>Revert %1</translation>
    </message>
    <message>
        <source>%1 will be restored; %2 cannot be (changed again since, or the relation is gone). The revert is itself journaled and can be reverted.</source>
        <translation>%1 will be restored; %2 cannot be (changed again since, or the relation is gone). The revert is itself journaled and can be reverted.</translation>
    </message>
    <message>
        <source>%1 already carry the tags they had before.</source>
        <translation>%1 already carry the tags they had before.</translation>
    </message>
    <message>
        <source>There is nothing to revert.</source>
        <translation>There is nothing to revert.</translation>
    </message>
    <message>
        <source>Will restore:</source>
        <translation>Will restore:</translation>
    </message>
    <message>
        <source>Cannot restore:</source>
        <translation>Cannot restore:</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Revert</translation>
    </message>
</context>
<context>
    <name>RuleEditor</name>
    <message>
        <source>Rule: %1</source>
        <translation>Rule: %1</translation>
    </message>
    <message>
        <source>New rule</source>
        <translation>New rule</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>Description:</source>
        <translation>Description:</translation>
    </message>
    <message>
        <source>Enabled (the team server runs it on its schedule and writes to WeCom, with no pilot)</source>
        <translation>Enabled (the team server runs it on its schedule and writes to WeCom, with no pilot)</translation>
    </message>
    <message>
        <source>Enabled (runs with the other rules)</source>
        <translation>Enabled (runs with the other rules)</translation>
    </message>
    <message>
        <source>When:</source>
        <translation>When:</translation>
    </message>
    <message>
        <source>Add tags:</source>
        <translation>Add tags:</translation>
    </message>
    <message>
        <source>Remove tags:</source>
        <translation>Remove tags:</translation>
    </message>
    <message>
        <source>tags: name, pinyin or initials</source>
        <translation>tags: name, pinyin or initials</translation>
    </message>
    <message>
        <source>Replace within group (adding a tag removes the other tags of its group)</source>
        <translation>Replace within group (adding a tag removes the other tags of its group)</translation>
    </message>
    <message>
        <source>Added tags expire after:</source>
        <translation>Added tags expire after:</translation>
    </message>
    <message>
        <source>never</source>
        <translation>never</translation>
    </message>
    <message>
        <source>Department:</source>
        <translation>Department:</translation>
    </message>
    <message>
        <source>Visible to:</source>
        <translation>Visible to:</translation>
    </message>
    <message>
        <source>as it is (new rules: the one you head)</source>
        <translation>as it is (new rules: the one you head)</translation>
    </message>
    <message>
        <source>its department</source>
        <translation>its department</translation>
    </message>
    <message>
        <source>the whole team</source>
        <translation>the whole team</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Owner</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Why</translation>
    </message>
    <message>
        <source>Simulate this rule</source>
        <translation>Simulate this rule</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Give the rule a name.</source>
        <translation>Give the rule a name.</translation>
    </message>
    <message>
        <source>Simulating…</source>
        <translation>Simulating…</translation>
    </message>
    <message>
        <source>This rule alone would change %1 of %2 (%3).</source>
        <translation>This rule alone would change %1 of %2 (%3).</translation>
    </message>
</context>
<context>
    <name>RulesDialog</name>
    <message>
        <source>Rules</source>
        <translation>Rules</translation>
    </message>
    <message>
        <source>A rule adds or removes tags when its conditions hold. Make one with New, edit it with a double-click, add rules from a JSON file (the format is in the README, &quot;Rules and automation&quot;) or a whole set with Tags → Scene templates…; simulate first, then run them as one batch that can be undone.</source>
        <translation>A rule adds or removes tags when its conditions hold. Make one with New, edit it with a double-click, add rules from a JSON file (the format is in the README, &quot;Rules and automation&quot;) or a whole set with Tags → Scene templates…; simulate first, then run them as one batch that can be undone.</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Rule</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Enabled</translation>
    </message>
    <message>
        <source>When</source>
        <translation>When</translation>
    </message>
    <message>
        <source>Then</source>
        <translation>Then</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Owner</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Why</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>New…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <source>Duplicate…</source>
        <translation>Duplicate…</translation>
    </message>
    <message>
        <source>Add from file…</source>
        <translation>Add from file…</translation>
    </message>
    <message>
        <source>Enable / disable</source>
        <translation>Enable / disable</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Simulate</source>
        <translation>Simulate</translation>
    </message>
    <message>
        <source>Run…</source>
        <translation>Run…</translation>
    </message>
    <message>
        <source>The team server runs the enabled team rules on a schedule; it has not run them yet.</source>
        <translation>The team server runs the enabled team rules on a schedule; it has not run them yet.</translation>
    </message>
    <message>
        <source>Last run on the team server: %1 · %2 changed, %3 failed, %4 contested, %5 skipped.</source>
        <translation>Last run on the team server: %1 · %2 changed, %3 failed, %4 contested, %5 skipped.</translation>
    </message>
    <message>
        <source>The team server is running the team rules now.</source>
        <translation>The team server is running the team rules now.</translation>
    </message>
    <message>
        <source>expires after %1</source>
        <translation>expires after %1</translation>
    </message>
    <message>
        <source>%1 of %2 would change (%3).</source>
        <translation>%1 of %2 would change (%3).</translation>
    </message>
    <message>
        <source>Contradiction: 「%1」 adds %2, 「%3」 removes it (%4 left alone).</source>
        <translation>Contradiction: 「%1」 adds %2, 「%3」 removes it (%4 left alone).</translation>
    </message>
    <message>
        <source>Loop: %1 undo each other (%2 left alone).</source>
        <translation>Loop: %1 undo each other (%2 left alone).</translation>
    </message>
    <message numerus="yes">
        <source>%1 reverted changes left alone: they stay reverted until every rule that made them is edited.</source>
        <translation>
            <numerusform>%1 reverted change left alone: it stays reverted until every rule that made it is edited.</numerusform>
            <numerusform>%1 reverted changes left alone: they stay reverted until every rule that made them is edited.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 reverted relations left alone</source>
        <translation>
            <numerusform>%1 reverted relation left alone</numerusform>
            <numerusform>%1 reverted relations left alone</numerusform>
        </translation>
    </message>
    <message>
        <source>Whole corp</source>
        <translation>Whole corp</translation>
    </message>
    <message>
        <source>A revert undid this rule&apos;s change on these relations: rule runs leave it alone until every rule that made it is edited.</source>
        <translation>A revert undid this rule&apos;s change on these relations: rule runs leave it alone until every rule that made it is edited.</translation>
    </message>
    <message>
        <source>Read-only: only an administrator or the head of its department may change this rule.</source>
        <translation>Read-only: only an administrator or the head of its department may change this rule.</translation>
    </message>
    <message>
        <source>%1 (copy %2)</source>
        <translation>%1 (copy %2)</translation>
    </message>
    <message>
        <source>Add rules</source>
        <translation>Add rules</translation>
    </message>
    <message>
        <source>Rule files (*.json)</source>
        <translation>Rule files (*.json)</translation>
    </message>
    <message>
        <source>Remove rule</source>
        <translation>Remove rule</translation>
    </message>
    <message>
        <source>Remove the rule 「%1」? Its conditions and actions are not kept; tags it already set stay.</source>
        <translation>Remove the rule 「%1」? Its conditions and actions are not kept; tags it already set stay.</translation>
    </message>
</context>
<context>
    <name>SaveFilterDialog</name>
    <message>
        <source>Save filter</source>
        <translation>Save filter</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>Team: everyone on the team sees it</source>
        <translation>Team: everyone on the team sees it</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>Replace</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Give the filter a name.</source>
        <translation>Give the filter a name.</translation>
    </message>
    <message>
        <source>A saved filter is already called 「%1」 (%2): saving replaces it.</source>
        <translation>A saved filter is already called 「%1」 (%2): saving replaces it.</translation>
    </message>
</context>
<context>
    <name>ScenesDialog</name>
    <message>
        <source>Scene templates</source>
        <translation>Scene templates</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>Template</translation>
    </message>
    <message>
        <source>Industry</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>Rules</translation>
    </message>
    <message>
        <source>Live codes</source>
        <translation>Live codes</translation>
    </message>
    <message>
        <source>Create same-named tags in the template&apos;s groups</source>
        <translation>Create same-named tags in the template&apos;s groups</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Apply</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>%1: not a member with customer contact. Tick the members, or type their userids.</source>
        <translation>%1: not a member with customer contact. Tick the members, or type their userids.</translation>
    </message>
    <message>
        <source>Step 1 of 4: choose a template</source>
        <translation>Step 1 of 4: choose a template</translation>
    </message>
    <message>
        <source>Step 2 of 4: which tag each template tag uses</source>
        <translation>Step 2 of 4: which tag each template tag uses</translation>
    </message>
    <message>
        <source>Step 3 of 4: members for the live codes</source>
        <translation>Step 3 of 4: members for the live codes</translation>
    </message>
    <message>
        <source>Step 4 of 4: everything Apply does</source>
        <translation>Step 4 of 4: everything Apply does</translation>
    </message>
    <message>
        <source>%1 — %2 (%3 exist), %4, %5.</source>
        <translation>%1 — %2 (%3 exist), %4, %5.</translation>
    </message>
    <message>
        <source>Applied: %1 created, %2 kept disabled (the team server runs enabled rules on its schedule), %3 made (%4 left as they were). Simulate the rules, then enable them in Tags → Rules….</source>
        <translation>Applied: %1 created, %2 kept disabled (the team server runs enabled rules on its schedule), %3 made (%4 left as they were). Simulate the rules, then enable them in Tags → Rules….</translation>
    </message>
    <message>
        <source>Applied: %1 created, %2 kept, %3 made (%4 left as they were). Simulate the rules in Tags → Rules….</source>
        <translation>Applied: %1 created, %2 kept, %3 made (%4 left as they were). Simulate the rules in Tags → Rules….</translation>
    </message>
    <message>
        <source>New group: %1</source>
        <translation>New group: %1</translation>
    </message>
    <message>
        <source>The team server would refuse this: %1. On step 2, use existing tags for the template&apos;s tags or create them in your own group, or ask an administrator to apply it.</source>
        <translation>The team server would refuse this: %1. On step 2, use existing tags for the template&apos;s tags or create them in your own group, or ask an administrator to apply it.</translation>
    </message>
    <message>
        <source>Create: %1</source>
        <translation>Create: %1</translation>
    </message>
    <message>
        <source>Reuse: %1</source>
        <translation>Reuse: %1</translation>
    </message>
    <message>
        <source>Use existing: %1 → %2</source>
        <translation>Use existing: %1 → %2</translation>
    </message>
    <message>
        <source>Created in your group: %1 → %2</source>
        <translation>Created in your group: %1 → %2</translation>
    </message>
    <message>
        <source>Name collision: %1 already exists in %2</source>
        <translation>Name collision: %1 already exists in %2</translation>
    </message>
    <message>
        <source>Add rule: %1</source>
        <translation>Add rule: %1</translation>
    </message>
    <message>
        <source>Replace rule: %1</source>
        <translation>Replace rule: %1</translation>
    </message>
    <message>
        <source>Live code, made in WeCom for %3: state=%1 → %2</source>
        <translation>Live code, made in WeCom for %3: state=%1 → %2</translation>
    </message>
    <message>
        <source>Live code (data only, not made in WeCom): state=%1 → %2</source>
        <translation>Live code (data only, not made in WeCom): state=%1 → %2</translation>
    </message>
    <message>
        <source>Live code made: state=%1 (code %2)</source>
        <translation>Live code made: state=%1 (code %2)</translation>
    </message>
    <message>
        <source>Live code not made: state=%1: %2</source>
        <translation>Live code not made: state=%1: %2</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Cancel sync</source>
        <translation>Cancel sync</translation>
    </message>
    <message>
        <source>Enter the new secret…</source>
        <translation>Enter the new secret…</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Retry</translation>
    </message>
    <message>
        <source>WeCom refused this computer&apos;s IP (errcode 60020). Once an administrator has added it to the app&apos;s trusted IPs, Retry asks WeCom again and sends the tagging waiting; any call that succeeds does the same.</source>
        <translation>WeCom refused this computer&apos;s IP (errcode 60020). Once an administrator has added it to the app&apos;s trusted IPs, Retry asks WeCom again and sends the tagging waiting; any call that succeeds does the same.</translation>
    </message>
    <message>
        <source>Team server unavailable</source>
        <translation>Team server unavailable</translation>
    </message>
    <message>
        <source>My customers</source>
        <translation>My customers</translation>
    </message>
    <message>
        <source>The team server gives a salesperson only the customers they follow; department heads, supervisors and administrators see the whole corp.</source>
        <translation>The team server gives a salesperson only the customers they follow; department heads, supervisors and administrators see the whole corp.</translation>
    </message>
    <message>
        <source>Team: %1</source>
        <translation>Team: %1</translation>
    </message>
    <message>
        <source>Profile: %1</source>
        <translation>Profile: %1</translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation>Never synced</translation>
    </message>
    <message>
        <source>Last sync: %1</source>
        <translation>Last sync: %1</translation>
    </message>
    <message>
        <source>%1 / %2 · %3</source>
        <translation>%1 / %2 · %3</translation>
    </message>
    <message numerus="yes">
        <source>%1 customers in the cache</source>
        <translation>
            <numerusform>%1 customer in the cache</numerusform>
            <numerusform>%1 customers in the cache</numerusform>
        </translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>Waiting batches need attention: %1</source>
        <translation>Waiting batches need attention: %1</translation>
    </message>
</context>
<context>
    <name>SuggestionModel</name>
    <message>
        <source>Decision</source>
        <translation>Decision</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>Member</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>Confidence</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <source>✓ accepted</source>
        <translation>✓ accepted</translation>
    </message>
    <message>
        <source>✗ rejected</source>
        <translation>✗ rejected</translation>
    </message>
    <message>
        <source>↺ reverted</source>
        <translation>↺ reverted</translation>
    </message>
    <message>
        <source>added</source>
        <translation>added</translation>
    </message>
    <message>
        <source>Judged by the rules (keywords and intent packs)</source>
        <translation>Judged by the rules (keywords and intent packs)</translation>
    </message>
    <message>
        <source>Judged by the learner trained on your confirmed tags</source>
        <translation>Judged by the learner trained on your confirmed tags</translation>
    </message>
    <message>
        <source>Judged by the rules and the learner trained on your confirmed tags</source>
        <translation>Judged by the rules and the learner trained on your confirmed tags</translation>
    </message>
    <message>
        <source>Judged by the base model bundled with TagDesk (no confirmed tags taught it this tag)</source>
        <translation>Judged by the base model bundled with TagDesk (no confirmed tags taught it this tag)</translation>
    </message>
    <message>
        <source>Judged by the rules and the base model bundled with TagDesk</source>
        <translation>Judged by the rules and the base model bundled with TagDesk</translation>
    </message>
    <message>
        <source>would add</source>
        <translation>would add</translation>
    </message>
    <message>
        <source>already tagged</source>
        <translation>already tagged</translation>
    </message>
    <message>
        <source>relation not in the cache</source>
        <translation>relation not in the cache</translation>
    </message>
    <message>
        <source>no such tag</source>
        <translation>no such tag</translation>
    </message>
</context>
<context>
    <name>TagChooser</name>
    <message>
        <source>Delete or double-click removes a tag</source>
        <translation>Delete or double-click removes a tag</translation>
    </message>
</context>
<context>
    <name>TagDialogs</name>
    <message>
        <source> and %1 more</source>
        <translation> and %1 more</translation>
    </message>
    <message>
        <source>Delete tag group</source>
        <translation>Delete tag group</translation>
    </message>
    <message>
        <source>Delete the group “%1” with %2 (%3)?</source>
        <translation>Delete the group “%1” with %2 (%3)?</translation>
    </message>
    <message>
        <source>Among your customers, %1 (%2) will lose them in WeCom, and so will the customers of other members who carry them.</source>
        <translation>Among your customers, %1 (%2) will lose them in WeCom, and so will the customers of other members who carry them.</translation>
    </message>
    <message>
        <source>%1 (%2) will lose them in WeCom.</source>
        <translation>%1 (%2) will lose them in WeCom.</translation>
    </message>
    <message>
        <source>TagDesk keeps who carried them: Tags → Deleted tags… restores the tags and tags them again.</source>
        <translation>TagDesk keeps who carried them: Tags → Deleted tags… restores the tags and tags them again.</translation>
    </message>
    <message>
        <source>Among your customers, %1 (%2) will lose it in WeCom, and so will the customers of other members who carry it.</source>
        <translation>Among your customers, %1 (%2) will lose it in WeCom, and so will the customers of other members who carry it.</translation>
    </message>
    <message>
        <source>%1 (%2) will lose it in WeCom.</source>
        <translation>%1 (%2) will lose it in WeCom.</translation>
    </message>
    <message>
        <source>Request a deletion</source>
        <translation>Request a deletion</translation>
    </message>
    <message>
        <source>Deleting needs an administrator&apos;s approval: TagDesk sends them a request, and nothing changes until it is approved. Once approved, %1</source>
        <translation>Deleting needs an administrator&apos;s approval: TagDesk sends them a request, and nothing changes until it is approved. Once approved, %1</translation>
    </message>
    <message>
        <source>The server keeps who carried them: an administrator restores an approved deletion in File → Approvals… (Restore and re-tag).</source>
        <translation>The server keeps who carried them: an administrator restores an approved deletion in File → Approvals… (Restore and re-tag).</translation>
    </message>
    <message>
        <source>The server keeps who carried it: an administrator restores an approved deletion in File → Approvals… (Restore and re-tag).</source>
        <translation>The server keeps who carried it: an administrator restores an approved deletion in File → Approvals… (Restore and re-tag).</translation>
    </message>
    <message>
        <source>Request sent</source>
        <translation>Request sent</translation>
    </message>
    <message>
        <source>Delete tag</source>
        <translation>Delete tag</translation>
    </message>
    <message>
        <source>Delete %1?</source>
        <translation>Delete %1?</translation>
    </message>
    <message>
        <source>TagDesk keeps who carried it: Tags → Deleted tags… restores the tag and tags them again.</source>
        <translation>TagDesk keeps who carried it: Tags → Deleted tags… restores the tag and tags them again.</translation>
    </message>
</context>
<context>
    <name>TagMappingPage</name>
    <message>
        <source>Each tag of the template is created, in its group or in one of your own, or uses a tag you already have: choose one (type to search). Highlighted: the name is already used in another group.</source>
        <translation>Each tag of the template is created, in its group or in one of your own, or uses a tag you already have: choose one (type to search). Highlighted: the name is already used in another group.</translation>
    </message>
    <message>
        <source>Each tag of the template is created, or uses a tag you already have: choose one (type to search). Highlighted: the name is already used in another group.</source>
        <translation>Each tag of the template is created, or uses a tag you already have: choose one (type to search). Highlighted: the name is already used in another group.</translation>
    </message>
    <message>
        <source>Template tag</source>
        <translation>Template tag</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>Use</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Already in %1</source>
        <translation>Already in %1</translation>
    </message>
    <message>
        <source>Create new in my group %1</source>
        <translation>Create new in my group %1</translation>
    </message>
    <message>
        <source>Reuse %1 (same name)</source>
        <translation>Reuse %1 (same name)</translation>
    </message>
    <message>
        <source>Create new in %1</source>
        <translation>Create new in %1</translation>
    </message>
</context>
<context>
    <name>TagPicker</name>
    <message>
        <source>Tag customers</source>
        <translation>Tag customers</translation>
    </message>
    <message>
        <source>Tag: 中文, pinyin, gyx or V3</source>
        <translation>Tag: 中文, pinyin, gyx or V3</translation>
    </message>
    <message>
        <source>Loading tags…</source>
        <translation>Loading tags…</translation>
    </message>
    <message>
        <source>No tag matches “%1”</source>
        <translation>No tag matches “%1”</translation>
    </message>
    <message>
        <source>Enter: add or remove on %1 selected · Esc: close</source>
        <translation>Enter: add or remove on %1 selected · Esc: close</translation>
    </message>
</context>
<context>
    <name>TagTreeModel</name>
    <message>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>Corp tags</source>
        <translation>Corp tags</translation>
    </message>
    <message>
        <source>Rule-group tags</source>
        <translation>Rule-group tags</translation>
    </message>
    <message>
        <source>Personal tags</source>
        <translation>Personal tags</translation>
    </message>
    <message numerus="yes">
        <source>%1 customer relations carry this tag</source>
        <translation>
            <numerusform>%1 customer relation carries this tag</numerusform>
            <numerusform>%1 customer relations carry this tag</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 tags; click to show customers with any of them</source>
        <translation>
            <numerusform>%1 tag; click to show its customers</numerusform>
            <numerusform>%1 tags; click to show customers with any of them</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of them carry it with an expiry (tagdesk expiry list)</source>
        <translation>%1 of them carry it with an expiry (tagdesk expiry list)</translation>
    </message>
    <message>
        <source>Abbreviation: %1</source>
        <translation>Abbreviation: %1</translation>
    </message>
    <message>
        <source>A path level without a tag of its own</source>
        <translation>A path level without a tag of its own</translation>
    </message>
    <message>
        <source>Owned by %1: its head or an administrator edits it</source>
        <translation>Owned by %1: its head or an administrator edits it</translation>
    </message>
    <message>
        <source>Deeper than five levels: the rest of the path is shown flat</source>
        <translation>Deeper than five levels: the rest of the path is shown flat</translation>
    </message>
    <message>
        <source>Saving the new order in WeCom…</source>
        <translation>Saving the new order in WeCom…</translation>
    </message>
</context>
<context>
    <name>TagTreeView</name>
    <message>
        <source>Find a tag: 中文, pinyin, gyx, V3</source>
        <translation>Find a tag: 中文, pinyin, gyx, V3</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %2 tags used</source>
        <translation>
            <numerusform>%1 of %2 tag used</numerusform>
            <numerusform>%1 of %2 tags used</numerusform>
        </translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>New tag…</source>
        <translation>New tag…</translation>
    </message>
    <message>
        <source>New tag group…</source>
        <translation>New tag group…</translation>
    </message>
    <message>
        <source>New branch tag group…</source>
        <translation>New branch tag group…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Rename…</translation>
    </message>
    <message>
        <source>Abbreviation…</source>
        <translation>Abbreviation…</translation>
    </message>
    <message>
        <source>Pin to favourites</source>
        <translation>Pin to favourites</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Delete…</translation>
    </message>
    <message>
        <source>Migrate to another tag…</source>
        <translation>Migrate to another tag…</translation>
    </message>
    <message>
        <source>Adopt under TagDesk&apos;s app…</source>
        <translation>Adopt under TagDesk&apos;s app…</translation>
    </message>
    <message numerus="yes">
        <source>%n group(s) near the cap</source>
        <translation>
            <numerusform>%n group near the cap</numerusform>
            <numerusform>%n groups near the cap</numerusform>
        </translation>
    </message>
    <message>
        <source>No tag matches “%1”</source>
        <translation>No tag matches “%1”</translation>
    </message>
    <message>
        <source>Request sent</source>
        <translation>Request sent</translation>
    </message>
    <message>
        <source>Unpin from favourites</source>
        <translation>Unpin from favourites</translation>
    </message>
    <message>
        <source>Only an administrator or a department head may create tag groups.</source>
        <translation>Only an administrator or a department head may create tag groups.</translation>
    </message>
    <message>
        <source>Only an administrator or the head of a branch (a department the policy gives a branch admin) may create branch tag groups.</source>
        <translation>Only an administrator or the head of a branch (a department the policy gives a branch admin) may create branch tag groups.</translation>
    </message>
    <message>
        <source>Deleting needs an administrator&apos;s approval: TagDesk sends them a request.</source>
        <translation>Deleting needs an administrator&apos;s approval: TagDesk sends them a request.</translation>
    </message>
    <message>
        <source>Tag order</source>
        <translation>Tag order</translation>
    </message>
</context>
<context>
    <name>TagsEditor</name>
    <message>
        <source>tags: name, pinyin or initials</source>
        <translation>tags: name, pinyin or initials</translation>
    </message>
</context>
<context>
    <name>TeamFilters</name>
    <message>
        <source>Saved filter %1 for the team.</source>
        <translation>Saved filter %1 for the team.</translation>
    </message>
    <message>
        <source>Deleted the team&apos;s saved filter %1.</source>
        <translation>Deleted the team&apos;s saved filter %1.</translation>
    </message>
</context>
<context>
    <name>TeamSettingsPoller</name>
    <message>
        <source>Team settings not refreshed; using the copy on this computer. %1</source>
        <translation>Team settings not refreshed; using the copy on this computer. %1</translation>
    </message>
</context>
<context>
    <name>UnfinishedBatchesDialog</name>
    <message>
        <source>Unfinished tag batches</source>
        <translation>Unfinished tag batches</translation>
    </message>
    <message>
        <source>These batches stopped before all their calls were sent (the app was closed, the pilot is waiting, or the team server could not be reached for a while). Resume sends exactly the calls still pending.</source>
        <translation>These batches stopped before all their calls were sent (the app was closed, the pilot is waiting, or the team server could not be reached for a while). Resume sends exactly the calls still pending.</translation>
    </message>
    <message>
        <source>These batches stopped before all their calls were sent (the app was closed, the pilot is waiting, or WeCom refused for a while). Resume sends exactly the calls still pending.</source>
        <translation>These batches stopped before all their calls were sent (the app was closed, the pilot is waiting, or WeCom refused for a while). Resume sends exactly the calls still pending.</translation>
    </message>
    <message>
        <source>%1 pending · %2 applied · %3 failed</source>
        <translation>%1&#xa0;pending · %2&#xa0;applied · %3&#xa0;failed</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>Cancel batch</source>
        <translation>Cancel batch</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Later</translation>
    </message>
    <message>
        <source>Batch %1 cancelled: %2 will not be sent; what was applied stays (the audit log can revert it).</source>
        <translation>Batch %1 cancelled: %2 will not be sent; what was applied stays (the audit log can revert it).</translation>
    </message>
</context>
<context>
    <name>UseridDialog</name>
    <message>
        <source>Your WeCom account</source>
        <translation>Your WeCom account</translation>
    </message>
    <message>
        <source>TagDesk records who made every change. Enter your own WeCom userid for the profile %1; it is saved with the profile.</source>
        <translation>TagDesk records who made every change. Enter your own WeCom userid for the profile %1; it is saved with the profile.</translation>
    </message>
    <message>
        <source>WeCom userid, e.g. zhangsan</source>
        <translation>WeCom userid, e.g. zhangsan</translation>
    </message>
    <message>
        <source>Reading the corp&apos;s members…</source>
        <translation>Reading the corp&apos;s members…</translation>
    </message>
    <message>
        <source>Cannot read the corp&apos;s members: %1</source>
        <translation>Cannot read the corp&apos;s members: %1</translation>
    </message>
    <message>
        <source>%1 is not a member of this corp.</source>
        <translation>%1 is not a member of this corp.</translation>
    </message>
</context>
<context>
    <name>WordsEditor</name>
    <message>
        <source>any of</source>
        <translation>any of</translation>
    </message>
    <message>
        <source>words, separated by 、 or ,</source>
        <translation>words, separated by 、 or ,</translation>
    </message>
</context>
<context>
    <name>_Counts</name>
    <message numerus="yes">
        <source>%1 relations</source>
        <translation>
            <numerusform>%1 relation</numerusform>
            <numerusform>%1 relations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 customers</source>
        <translation>
            <numerusform>%1 customer</numerusform>
            <numerusform>%1 customers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 API calls</source>
        <translation>
            <numerusform>%1 API call</numerusform>
            <numerusform>%1 API calls</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 tags</source>
        <translation>
            <numerusform>%1 tag</numerusform>
            <numerusform>%1 tags</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 rules</source>
        <translation>
            <numerusform>%1 rule</numerusform>
            <numerusform>%1 rules</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 live codes</source>
        <translation>
            <numerusform>%1 live code</numerusform>
            <numerusform>%1 live codes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 messages</source>
        <translation>
            <numerusform>%1 message</numerusform>
            <numerusform>%1 messages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 lines with problems</source>
        <translation>
            <numerusform>%1 line with problems</numerusform>
            <numerusform>%1 lines with problems</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 rows</source>
        <translation>
            <numerusform>%1 row</numerusform>
            <numerusform>%1 rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 events</source>
        <translation>
            <numerusform>%1 event</numerusform>
            <numerusform>%1 events</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 tag expiries</source>
        <translation>
            <numerusform>%1 tag expiry</numerusform>
            <numerusform>%1 tag expiries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 suggestions</source>
        <translation>
            <numerusform>%1 suggestion</numerusform>
            <numerusform>%1 suggestions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 problems</source>
        <translation>
            <numerusform>%1 problem</numerusform>
            <numerusform>%1 problems</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 selected</source>
        <translation>%1 selected</translation>
    </message>
</context>
<context>
    <name>_Labels</name>
    <message>
        <source>Tag added</source>
        <translation>Tag added</translation>
    </message>
    <message>
        <source>Tag removed</source>
        <translation>Tag removed</translation>
    </message>
    <message>
        <source>Tag created</source>
        <translation>Tag created</translation>
    </message>
    <message>
        <source>Tag renamed</source>
        <translation>Tag renamed</translation>
    </message>
    <message>
        <source>Tag deleted</source>
        <translation>Tag deleted</translation>
    </message>
    <message>
        <source>Tags reordered</source>
        <translation>Tags reordered</translation>
    </message>
    <message>
        <source>Group created</source>
        <translation>Group created</translation>
    </message>
    <message>
        <source>Group renamed</source>
        <translation>Group renamed</translation>
    </message>
    <message>
        <source>Group deleted</source>
        <translation>Group deleted</translation>
    </message>
    <message>
        <source>Groups reordered</source>
        <translation>Groups reordered</translation>
    </message>
    <message>
        <source>Deleted tag restored</source>
        <translation>Deleted tag restored</translation>
    </message>
    <message>
        <source>Customer added</source>
        <translation>Customer added</translation>
    </message>
    <message>
        <source>Customer deleted</source>
        <translation>Customer deleted</translation>
    </message>
    <message>
        <source>Exclusive set added</source>
        <translation>Exclusive set added</translation>
    </message>
    <message>
        <source>Exclusive set removed</source>
        <translation>Exclusive set removed</translation>
    </message>
    <message>
        <source>Abbreviation set</source>
        <translation>Abbreviation set</translation>
    </message>
    <message>
        <source>Team filter saved</source>
        <translation>Team filter saved</translation>
    </message>
    <message>
        <source>Team filter deleted</source>
        <translation>Team filter deleted</translation>
    </message>
    <message>
        <source>Suggested favourites set</source>
        <translation>Suggested favourites set</translation>
    </message>
    <message>
        <source>Auto-tagging keywords set</source>
        <translation>Auto-tagging keywords set</translation>
    </message>
    <message>
        <source>Auto-tagging keywords removed</source>
        <translation>Auto-tagging keywords removed</translation>
    </message>
    <message>
        <source>Refused by the team server</source>
        <translation>Refused by the team server</translation>
    </message>
    <message>
        <source>Team policy changed</source>
        <translation>Team policy changed</translation>
    </message>
    <message>
        <source>Approval requested</source>
        <translation>Approval requested</translation>
    </message>
    <message>
        <source>Request approved</source>
        <translation>Request approved</translation>
    </message>
    <message>
        <source>Request rejected</source>
        <translation>Request rejected</translation>
    </message>
    <message>
        <source>Request expired</source>
        <translation>Request expired</translation>
    </message>
    <message>
        <source>Request closed: the tag was gone</source>
        <translation>Request closed: the tag was gone</translation>
    </message>
    <message>
        <source>Request failed</source>
        <translation>Request failed</translation>
    </message>
    <message>
        <source>Restored from a request&apos;s snapshot</source>
        <translation>Restored from a request&apos;s snapshot</translation>
    </message>
    <message>
        <source>Request withdrawn</source>
        <translation>Request withdrawn</translation>
    </message>
    <message>
        <source>Team rule added</source>
        <translation>Team rule added</translation>
    </message>
    <message>
        <source>Team rule changed</source>
        <translation>Team rule changed</translation>
    </message>
    <message>
        <source>Team rule enabled</source>
        <translation>Team rule enabled</translation>
    </message>
    <message>
        <source>Team rule disabled</source>
        <translation>Team rule disabled</translation>
    </message>
    <message>
        <source>Team rule removed</source>
        <translation>Team rule removed</translation>
    </message>
    <message>
        <source>Tag or group edited</source>
        <translation>Tag or group edited</translation>
    </message>
    <message>
        <source>Rule-group tag edited</source>
        <translation>Rule-group tag edited</translation>
    </message>
    <message>
        <source>Rule group edited</source>
        <translation>Rule group edited</translation>
    </message>
    <message>
        <source>Rule group deleted</source>
        <translation>Rule group deleted</translation>
    </message>
    <message>
        <source>Live code created</source>
        <translation>Live code created</translation>
    </message>
    <message>
        <source>Live code changed</source>
        <translation>Live code changed</translation>
    </message>
    <message>
        <source>Live code deleted</source>
        <translation>Live code deleted</translation>
    </message>
    <message>
        <source>App message sent</source>
        <translation>App message sent</translation>
    </message>
    <message>
        <source>By hand</source>
        <translation>By hand</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Rule</translation>
    </message>
    <message>
        <source>Migration</source>
        <translation>Migration</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Redo</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Revert</translation>
    </message>
    <message>
        <source>Seen at sync</source>
        <translation>Seen at sync</translation>
    </message>
    <message>
        <source>Auto-tagging</source>
        <translation>Auto-tagging</translation>
    </message>
    <message>
        <source>Tag library edit</source>
        <translation>Tag library edit</translation>
    </message>
    <message>
        <source>Team settings</source>
        <translation>Team settings</translation>
    </message>
    <message>
        <source>Through the team server</source>
        <translation>Through the team server</translation>
    </message>
    <message>
        <source>On a phone (WeCom callback)</source>
        <translation>On a phone (WeCom callback)</translation>
    </message>
    <message>
        <source>Governance</source>
        <translation>Governance</translation>
    </message>
    <message>
        <source>Tag restore</source>
        <translation>Tag restore</translation>
    </message>
    <message>
        <source>Order reconciliation</source>
        <translation>Order reconciliation</translation>
    </message>
    <message>
        <source>Tag expiry</source>
        <translation>Tag expiry</translation>
    </message>
    <message>
        <source>Live code</source>
        <translation>Live code</translation>
    </message>
    <message>
        <source>Pre-tag</source>
        <translation>Pre-tag</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>queued</translation>
    </message>
    <message>
        <source>in its pilot</source>
        <translation>in its pilot</translation>
    </message>
    <message>
        <source>running</source>
        <translation>running</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>paused</translation>
    </message>
    <message>
        <source>done</source>
        <translation>done</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <source>%1 · team journal on %2</source>
        <translation>%1 · team journal on %2</translation>
    </message>
    <message>
        <source>WeCom client / unknown, seen at sync</source>
        <translation>WeCom client / unknown, seen at sync</translation>
    </message>
    <message>
        <source>probably %1</source>
        <translation>probably %1</translation>
    </message>
    <message>
        <source>made between %1 and %2</source>
        <translation>made between %1 and %2</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>The app secret is wrong or was reset: look it up in the admin console (App Management) and enter it in File → Connection settings…; the tagging waiting to be sent goes on once it is saved.</source>
        <translation>The app secret is wrong or was reset: look it up in the admin console (App Management) and enter it in File → Connection settings…; the tagging waiting to be sent goes on once it is saved.</translation>
    </message>
    <message>
        <source>This computer&apos;s IP is not in the app&apos;s trusted IP list: an administrator adds it in the app&apos;s settings (then click Retry in the status bar), or enter a relay with a fixed IP as the API base in File → Connection settings…; the tagging waiting to be sent goes on after either.</source>
        <translation>This computer&apos;s IP is not in the app&apos;s trusted IP list: an administrator adds it in the app&apos;s settings (then click Retry in the status bar), or enter a relay with a fixed IP as the API base in File → Connection settings…; the tagging waiting to be sent goes on after either.</translation>
    </message>
    <message>
        <source>Or, in the TagDesk window: File → Log in to the team server….</source>
        <translation>Or, in the TagDesk window: File → Log in to the team server….</translation>
    </message>
</context>
</TS>
