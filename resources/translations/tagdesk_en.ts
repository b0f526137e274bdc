<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AbbreviationDialog</name>
    <message>
        <location filename="../../desktop/ui/tag_dialogs.py" line="256"/>
        <source>Abbreviation</source>
        <translation>Abbreviation</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_dialogs.py" line="260"/>
        <source>e.g. V3; empty removes it</source>
        <translation>e.g. V3; empty removes it</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_dialogs.py" line="271"/>
        <source>Shared with the whole team; type it in any tag search.</source>
        <translation>Shared with the whole team; type it in any tag search.</translation>
    </message>
</context>
<context>
    <name>AuditBatchesModel</name>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="422"/>
        <source>Last change</source>
        <translation>Last change</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="422"/>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="423"/>
        <source>Operators</source>
        <translation>Operators</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="423"/>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="424"/>
        <source>Changes</source>
        <translation>Changes</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="424"/>
        <source>Added</source>
        <translation>Added</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="425"/>
        <source>Removed</source>
        <translation>Removed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="425"/>
        <source>Tree edits</source>
        <translation>Tree edits</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="426"/>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="451"/>
        <source>%1 · not in a batch</source>
        <translation>%1 · not in a batch</translation>
    </message>
</context>
<context>
    <name>AuditFilterBar</name>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="107"/>
        <source>All time</source>
        <translation>All time</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="107"/>
        <source>Last 24 hours</source>
        <translation>Last 24 hours</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="108"/>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="109"/>
        <source>Last %1 days</source>
        <translation>Last %1 days</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="109"/>
        <source>Custom range</source>
        <translation>Custom range</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="112"/>
        <source>All operators</source>
        <translation>All operators</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="123"/>
        <source>Also changes seen at sync on their relations</source>
        <translation>Also changes seen at sync on their relations</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="125"/>
        <source>WeCom does not say who made a change seen at sync; with this, an operator also matches those on relations they follow (the probable operator)</source>
        <translation>WeCom does not say who made a change seen at sync; with this, an operator also matches those on relations they follow (the probable operator)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="113"/>
        <source>All departments</source>
        <translation>All departments</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="114"/>
        <source>All actions</source>
        <translation>All actions</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="115"/>
        <source>All sources</source>
        <translation>All sources</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="116"/>
        <source>All tags</source>
        <translation>All tags</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="117"/>
        <source>All groups</source>
        <translation>All groups</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="127"/>
        <source>Customer name or external_userid</source>
        <translation>Customer name or external_userid</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="128"/>
        <source>Batch id</source>
        <translation>Batch id</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="129"/>
        <source>Clear filters</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="130"/>
        <source>Period</source>
        <translation>Period</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="130"/>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="130"/>
        <source>Until</source>
        <translation>Until</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="130"/>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="131"/>
        <source>Department</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="131"/>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="131"/>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="131"/>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="132"/>
        <source>Group</source>
        <translation>Group</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="132"/>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_filter_bar.py" line="132"/>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
</context>
<context>
    <name>AuditRowsModel</name>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="280"/>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="280"/>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="281"/>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="281"/>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="282"/>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="282"/>
        <source>Owner</source>
        <translation>Owner</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="283"/>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="283"/>
        <source>Group</source>
        <translation>Group</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="284"/>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="284"/>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="308"/>
        <source>(row %1 is missing: run the journal check)</source>
        <translation>(row %1 is missing: run the journal check)</translation>
    </message>
</context>
<context>
    <name>AuditViewer</name>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="84"/>
        <source>Audit log</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="85"/>
        <source>Rows</source>
        <translation>Rows</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="86"/>
        <source>Batches</source>
        <translation>Batches</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="87"/>
        <source>Show every batch again</source>
        <translation>Show every batch again</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="88"/>
        <source>Show customer</source>
        <translation>Show customer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="89"/>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="90"/>
        <source>Export xlsx…</source>
        <translation>Export xlsx…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="91"/>
        <source>Export CSV…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="92"/>
        <source>Revert batch…</source>
        <translation>Revert batch…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="94"/>
        <source>Revert operator&apos;s changes in period…</source>
        <translation>Revert operator&apos;s changes in period…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="177"/>
        <source>Searching…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="206"/>
        <source>Only: %1</source>
        <translation>Only: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="226"/>
        <source>%1 changes · %2 ms</source>
        <translation>%1 changes · %2 ms</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="231"/>
        <source>%1 batches</source>
        <translation>%1 batches</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="292"/>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="292"/>
        <source>Owner</source>
        <translation>Owner</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="293"/>
        <source>Group</source>
        <translation>Group</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="293"/>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="293"/>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="300"/>
        <source>Added</source>
        <translation>Added</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="301"/>
        <source>Removed</source>
        <translation>Removed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="302"/>
        <source>Unchanged</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="329"/>
        <source>%1 · not in a batch</source>
        <translation>%1 · not in a batch</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="362"/>
        <source>Export the audit log</source>
        <translation>Export the audit log</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="376"/>
        <source>Exported %1 rows to %2</source>
        <translation>Exported %1 rows to %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="380"/>
        <source>Exporting…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="400"/>
        <source>Preparing the revert…</source>
        <translation>Preparing the revert…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="430"/>
        <source>Revert %1</source>
        <translation>Revert %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="441"/>
        <source>Revert %1: %2 restored, %3 failed, %4 still queued</source>
        <translation>Revert %1: %2 restored, %3 failed, %4 still queued</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="419"/>
        <source>Reverting…</source>
        <translation>Reverting…</translation>
    </message>
</context>
<context>
    <name>BatchProgressDialog</name>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="318"/>
        <source>Tag batch</source>
        <translation>Tag batch</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="319"/>
        <source>Close</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>BatchProgressPanel</name>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="104"/>
        <location filename="../../desktop/ui/batch_progress.py" line="193"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="262"/>
        <source>Continue with the rest</source>
        <translation>Continue with the rest</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="109"/>
        <source>Cancel batch</source>
        <translation>Cancel batch</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="110"/>
        <source>Retry failed</source>
        <translation>Retry failed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="111"/>
        <source>Show them in the table</source>
        <translation>Show them in the table</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="112"/>
        <source>Filter the customer table to the relations this batch has written so far</source>
        <translation>Filter the customer table to the relations this batch has written so far</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="121"/>
        <source>Batch %1 · %2</source>
        <translation>Batch %1 · %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="154"/>
        <source>Cancelling after the calls in flight…</source>
        <translation>Cancelling after the calls in flight…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="177"/>
        <source>Running the pilot…</source>
        <translation>Running the pilot…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="177"/>
        <location filename="../../desktop/ui/batch_progress.py" line="195"/>
        <source>Running…</source>
        <translation>Running…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="187"/>
        <source>Resume</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="189"/>
        <source>Paused: calls in flight finish, nothing new is sent.</source>
        <translation>Paused: calls in flight finish, nothing new is sent.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="219"/>
        <source>Cancelled: %1 call(s) were not sent.</source>
        <translation>Cancelled: %1 call(s) were not sent.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="223"/>
        <source>Done.</source>
        <translation>Done.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="229"/>
        <source>Stopped: %1 The rest stays queued; continue when the cause is fixed.</source>
        <translation>Stopped: %1 The rest stays queued; continue when the cause is fixed.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="236"/>
        <source>Pilot finished. Check these customers in the table or on the phone, then continue with the remaining %1 or cancel.</source>
        <translation>Pilot finished. Check these customers in the table or on the phone, then continue with the remaining %1 or cancel.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="245"/>
        <source>Try again</source>
        <translation>Try again</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="251"/>
        <source>Cancelled: the remaining calls will not be sent.</source>
        <translation>Cancelled: the remaining calls will not be sent.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="280"/>
        <source>%1 of %2 applied · %3 failed · %4 skipped · %5 pending · %6 API calls in %7 s (%8 of %9 calls/min)</source>
        <translation>%1 of %2 applied · %3 failed · %4 skipped · %5 pending · %6 API calls in %7 s (%8 of %9 calls/min)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="290"/>
        <source>%1 of %2 applied · %3 failed · %4 not sent</source>
        <translation>%1 of %2 applied · %3 failed · %4 not sent</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <location filename="../../desktop/ui/crash_dialog.py" line="101"/>
        <source>TagDesk – unexpected error</source>
        <translation>TagDesk – unexpected error</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/crash_dialog.py" line="117"/>
        <source>Tag changes already queued are safe: they stay in the outbox, keep being sent, and anything left unsent is offered for resuming at the next start.</source>
        <translation>Tag changes already queued are safe: they stay in the outbox, keep being sent, and anything left unsent is offered for resuming at the next start.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/crash_dialog.py" line="120"/>
        <source>no log file</source>
        <translation>no log file</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/crash_dialog.py" line="121"/>
        <source>Log file: %1</source>
        <translation>Log file: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/crash_dialog.py" line="132"/>
        <source>Copy details</source>
        <translation>Copy details</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/crash_dialog.py" line="133"/>
        <source>Open log folder</source>
        <translation>Open log folder</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/crash_dialog.py" line="156"/>
        <source>%1 errors; the latest: %2</source>
        <translation>%1 errors; the latest: %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/crash_dialog.py" line="164"/>
        <source>Copied</source>
        <translation>Copied</translation>
    </message>
</context>
<context>
    <name>CrashHandler</name>
    <message>
        <location filename="../../desktop/ui/crash_dialog.py" line="224"/>
        <source>TagDesk ran into an unexpected error.</source>
        <translation>TagDesk ran into an unexpected error.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/crash_dialog.py" line="232"/>
        <source>TagDesk closed unexpectedly last time.</source>
        <translation>TagDesk closed unexpectedly last time.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/crash_dialog.py" line="233"/>
        <source>Qt or Python stopped the program; this is what it was doing.</source>
        <translation>Qt or Python stopped the program; this is what it was doing.</translation>
    </message>
</context>
<context>
    <name>CreateGroupDialog</name>
    <message>
        <location filename="../../desktop/ui/tag_dialogs.py" line="195"/>
        <source>New tag group</source>
        <translation>New tag group</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_dialogs.py" line="198"/>
        <source>Group name</source>
        <translation>Group name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_dialogs.py" line="199"/>
        <source>First tag</source>
        <translation>First tag</translation>
    </message>
</context>
<context>
    <name>CreateTagDialog</name>
    <message>
        <location filename="../../desktop/ui/tag_dialogs.py" line="157"/>
        <source>New tag</source>
        <translation>New tag</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_dialogs.py" line="165"/>
        <source>Name, or a path such as 教育/K12</source>
        <translation>Name, or a path such as 教育/K12</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_dialogs.py" line="166"/>
        <source>Group</source>
        <translation>Group</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_dialogs.py" line="167"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_dialogs.py" line="176"/>
        <source>Create a tag group first.</source>
        <translation>Create a tag group first.</translation>
    </message>
</context>
<context>
    <name>CustomerTableModel</name>
    <message>
        <location filename="../../desktop/ui/customer_table_model.py" line="300"/>
        <source>Corp tags on this follow relation</source>
        <translation>Corp tags on this follow relation</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_table_model.py" line="305"/>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_table_model.py" line="305"/>
        <source>Company</source>
        <translation>Company</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_table_model.py" line="306"/>
        <source>Owner</source>
        <translation>Owner</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_table_model.py" line="306"/>
        <source>Remark</source>
        <translation>Remark</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_table_model.py" line="307"/>
        <source>Channel</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_table_model.py" line="307"/>
        <source>Added</source>
        <translation>Added</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_table_model.py" line="308"/>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_table_model.py" line="338"/>
        <source>(no longer in the cache)</source>
        <translation>(no longer in the cache)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_table_model.py" line="360"/>
        <source>Tagging failed: %1</source>
        <translation>Tagging failed: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_table_model.py" line="362"/>
        <source>Writing to WeCom…</source>
        <translation>Writing to WeCom…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/customer_table_model.py" line="363"/>
        <source>Saved in WeCom</source>
        <translation>Saved in WeCom</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="67"/>
        <location filename="../../desktop/ui/detail_pane.py" line="164"/>
        <source>No customer selected</source>
        <translation>No customer selected</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="166"/>
        <source>Select a row to see the customer here.</source>
        <translation>Select a row to see the customer here.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="179"/>
        <source>Customer ID</source>
        <translation>Customer ID</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="180"/>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="190"/>
        <source>Copied %1</source>
        <translation>Copied %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="194"/>
        <source>WeChat user</source>
        <translation>WeChat user</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="194"/>
        <source>WeCom user</source>
        <translation>WeCom user</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="196"/>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="196"/>
        <source>Company</source>
        <translation>Company</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="197"/>
        <source>Position</source>
        <translation>Position</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="198"/>
        <source>Followed by</source>
        <translation>Followed by</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/detail_pane.py" line="198"/>
        <source>%n member(s)</source>
        <translation>
            <numerusform>%n member</numerusform>
            <numerusform>%n members</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="206"/>
        <source>Remark</source>
        <translation>Remark</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="206"/>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="207"/>
        <source>Added</source>
        <translation>Added</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="207"/>
        <source>Channel</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="208"/>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="210"/>
        <source>no corp tags</source>
        <translation>no corp tags</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="216"/>
        <source>Personal tags</source>
        <translation>Personal tags</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="217"/>
        <source>read-only</source>
        <translation>read-only</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="225"/>
        <source>Loading personal tags from WeCom…</source>
        <translation>Loading personal tags from WeCom…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="228"/>
        <source>Load personal tags from WeCom</source>
        <translation>Load personal tags from WeCom</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="234"/>
        <source>Recent changes</source>
        <translation>Recent changes</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="236"/>
        <source>No changes recorded yet.</source>
        <translation>No changes recorded yet.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="256"/>
        <source>added</source>
        <translation>added</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/detail_pane.py" line="256"/>
        <source>removed</source>
        <translation>removed</translation>
    </message>
</context>
<context>
    <name>ExclusiveSetsDialog</name>
    <message>
        <location filename="../../desktop/ui/exclusive_sets_dialog.py" line="75"/>
        <source>Mutually exclusive tags</source>
        <translation>Mutually exclusive tags</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/exclusive_sets_dialog.py" line="77"/>
        <source>A customer should carry at most one tag of each set. Batches and imports list relations that would break a set as conflicts and skip them; the health report counts customers that already do.</source>
        <translation>A customer should carry at most one tag of each set. Batches and imports list relations that would break a set as conflicts and skip them; the health report counts customers that already do.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/exclusive_sets_dialog.py" line="80"/>
        <source>e.g. 成交状态</source>
        <translation>e.g. 成交状态</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/exclusive_sets_dialog.py" line="81"/>
        <source>tag names separated by commas, e.g. 已成交, 无效客户</source>
        <translation>tag names separated by commas, e.g. 已成交, 无效客户</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/exclusive_sets_dialog.py" line="82"/>
        <source>Add set</source>
        <translation>Add set</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/exclusive_sets_dialog.py" line="83"/>
        <source>Remove selected</source>
        <translation>Remove selected</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/exclusive_sets_dialog.py" line="84"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/exclusive_sets_dialog.py" line="85"/>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="85"/>
        <location filename="../../desktop/ui/export_dialog.py" line="148"/>
        <source>Export customers</source>
        <translation>Export customers</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="86"/>
        <source>%1 customer relations · %2</source>
        <translation>%1 customer relations · %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="88"/>
        <source>selection</source>
        <translation>selection</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="90"/>
        <source>Every row gets the customer&apos;s details and all its tags. Tick the tag groups that should also get a column of their own. Fill in add_tags or remove_tags and import the file to change tags.</source>
        <translation>Every row gets the customer&apos;s details and all its tags. Tick the tag groups that should also get a column of their own. Fill in add_tags or remove_tags and import the file to change tags.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="94"/>
        <source>File (.xlsx)</source>
        <translation>File (.xlsx)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="95"/>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="96"/>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="82"/>
        <location filename="../../desktop/ui/export_dialog.py" line="130"/>
        <location filename="../../desktop/ui/export_dialog.py" line="138"/>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="93"/>
        <source>Group columns:</source>
        <translation>Group columns:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="108"/>
        <source>Choose a file first.</source>
        <translation>Choose a file first.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="115"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="116"/>
        <source>Exporting…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="124"/>
        <source>Exporting… %1 of %2</source>
        <translation>Exporting… %1 of %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="131"/>
        <source>Exported %1 relations to %2</source>
        <translation>Exported %1 relations to %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/export_dialog.py" line="148"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
</context>
<context>
    <name>FavouritesBar</name>
    <message>
        <location filename="../../desktop/ui/favourites_bar.py" line="230"/>
        <source>Pin tags here: drag them from the tree or right-click → Pin</source>
        <translation>Pin tags here: drag them from the tree or right-click → Pin</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/favourites_bar.py" line="231"/>
        <source>Favourites</source>
        <translation>Favourites</translation>
    </message>
</context>
<context>
    <name>FavouritesModel</name>
    <message>
        <location filename="../../desktop/ui/favourites_bar.py" line="89"/>
        <source>Abbreviation: %1</source>
        <translation>Abbreviation: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/favourites_bar.py" line="90"/>
        <source>Click to add or remove it on the selected customers</source>
        <translation>Click to add or remove it on the selected customers</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/favourites_bar.py" line="92"/>
        <source>Alt+%1 or click: add or remove it on the selected customers</source>
        <translation>Alt+%1 or click: add or remove it on the selected customers</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/favourites_bar.py" line="94"/>
        <source>Drag to reorder</source>
        <translation>Drag to reorder</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <location filename="../../desktop/ui/filter_bar.py" line="121"/>
        <source>Filter, e.g. 高意向 AND NOT 已成交, 客户等级:VIP, owner:zhangsan, added&gt;=2025-01</source>
        <translation>Filter, e.g. 高意向 AND NOT 已成交, 客户等级:VIP, owner:zhangsan, added&gt;=2025-01</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filter_bar.py" line="122"/>
        <source>Recent filters</source>
        <translation>Recent filters</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filter_bar.py" line="123"/>
        <source>Saved filters</source>
        <translation>Saved filters</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filter_bar.py" line="280"/>
        <source>No recent filters</source>
        <translation>No recent filters</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filter_bar.py" line="286"/>
        <source>Save current filter…</source>
        <translation>Save current filter…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filter_bar.py" line="297"/>
        <source>Delete saved filter</source>
        <translation>Delete saved filter</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filter_bar.py" line="303"/>
        <source>Save filter</source>
        <translation>Save filter</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/filter_bar.py" line="303"/>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
</context>
<context>
    <name>HealthModel</name>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="79"/>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="79"/>
        <source>Finding</source>
        <translation>Finding</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="79"/>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="80"/>
        <source>Relations</source>
        <translation>Relations</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="104"/>
        <source>Duplicate</source>
        <translation>Duplicate</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="104"/>
        <source>Exclusive conflict</source>
        <translation>Exclusive conflict</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="105"/>
        <source>Followers disagree</source>
        <translation>Followers disagree</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="106"/>
        <source>Zombie</source>
        <translation>Zombie</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="106"/>
        <source>Risky name</source>
        <translation>Risky name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="107"/>
        <source>Too deep</source>
        <translation>Too deep</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="107"/>
        <source>Personal duplicate</source>
        <translation>Personal duplicate</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="108"/>
        <source>Empty group</source>
        <translation>Empty group</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="108"/>
        <source>Group near cap</source>
        <translation>Group near cap</translation>
    </message>
</context>
<context>
    <name>HealthWindow</name>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="136"/>
        <source>Tag health</source>
        <translation>Tag health</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="137"/>
        <source>Zombie after (days)</source>
        <translation>Zombie after (days)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="137"/>
        <source>Corp tag cap</source>
        <translation>Corp tag cap</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="138"/>
        <source>Tags per group</source>
        <translation>Tags per group</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="141"/>
        <source>Export…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="142"/>
        <source>Filter to these customers</source>
        <translation>Filter to these customers</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="143"/>
        <source>Select these tags</source>
        <translation>Select these tags</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="144"/>
        <source>Migrate…</source>
        <translation>Migrate…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="208"/>
        <source>Checking the tag library…</source>
        <translation>Checking the tag library…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="218"/>
        <source>%1 findings.</source>
        <translation>%1 findings.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="276"/>
        <source>Exported %1 findings to %2.</source>
        <translation>Exported %1 findings to %2.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="280"/>
        <source>Export the health report</source>
        <translation>Export the health report</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="129"/>
        <source>Import tags from a spreadsheet</source>
        <translation>Import tags from a spreadsheet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="130"/>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="132"/>
        <source>Choose an .xlsx file with the columns external_userid, owner_userid (optional), add_tags and remove_tags. An export of your customers has them all: fill in the tags and import it back. Every row is checked before anything is written.</source>
        <translation>Choose an .xlsx file with the columns external_userid, owner_userid (optional), add_tags and remove_tags. An export of your customers has them all: fill in the tags and import it back. Every row is checked before anything is written.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="135"/>
        <source>Spreadsheet (.xlsx)</source>
        <translation>Spreadsheet (.xlsx)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="136"/>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="137"/>
        <source>Save the template…</source>
        <translation>Save the template…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="138"/>
        <source>Check</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="189"/>
        <source>Choose a file first.</source>
        <translation>Choose a file first.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="194"/>
        <source>Checking every row…</source>
        <translation>Checking every row…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="200"/>
        <source>Import spreadsheet</source>
        <translation>Import spreadsheet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="201"/>
        <source>Excel workbook (*.xlsx);;All files (*)</source>
        <translation>Excel workbook (*.xlsx);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="206"/>
        <source>Save the import template</source>
        <translation>Save the import template</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="207"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="217"/>
        <source>Template saved: %1</source>
        <translation>Template saved: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="144"/>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="142"/>
        <source>Import only the valid rows</source>
        <translation>Import only the valid rows</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="145"/>
        <source>no pilot</source>
        <translation>no pilot</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="146"/>
        <source> relations first</source>
        <translation> relations first</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="147"/>
        <source>Pilot:</source>
        <translation>Pilot:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="139"/>
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="140"/>
        <source>Check again</source>
        <translation>Check again</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="141"/>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="307"/>
        <source>%1: all %2 rows are valid.</source>
        <translation>%1: all %2 rows are valid.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="309"/>
        <source>%1: %2 rows, %3 valid, %4 with problems (%5 problems). Nothing is written until they are fixed, unless you import only the valid rows.</source>
        <translation>%1: %2 rows, %3 valid, %4 with problems (%5 problems). Nothing is written until they are fixed, unless you import only the valid rows.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="319"/>
        <source>&lt;b&gt;%1&lt;/b&gt; relations to change (%2 API calls) of %3 named · %4 already as asked · %5 left out for exclusive tags</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; relations to change (%2 API calls) of %3 named · %4 already as asked · %5 left out for exclusive tags</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="53"/>
        <source>Log in to the team server</source>
        <translation>Log in to the team server</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="55"/>
        <source>Profile %1 works through the team server %2. Enter your WeCom userid: the server sends you a six-digit code as a WeCom message.</source>
        <translation>Profile %1 works through the team server %2. Enter your WeCom userid: the server sends you a six-digit code as a WeCom message.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="60"/>
        <source>WeCom userid, e.g. zhangsan</source>
        <translation>WeCom userid, e.g. zhangsan</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="61"/>
        <source>Send code</source>
        <translation>Send code</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="64"/>
        <source>Six digits from the WeCom message</source>
        <translation>Six digits from the WeCom message</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="71"/>
        <source>Log in</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="80"/>
        <source>WeCom userid</source>
        <translation>WeCom userid</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="81"/>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="92"/>
        <source>Enter your WeCom userid first.</source>
        <translation>Enter your WeCom userid first.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="95"/>
        <source>Asking the team server to send a code to %1…</source>
        <translation>Asking the team server to send a code to %1…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="105"/>
        <source>Logging in…</source>
        <translation>Logging in…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="137"/>
        <source>A code was sent to %1 through WeCom; it is valid for %2 minutes.</source>
        <translation>A code was sent to %1 through WeCom; it is valid for %2 minutes.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/login_dialog.py" line="153"/>
        <source>Press “Send code” for a new code.</source>
        <translation>Press “Send code” for a new code.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="159"/>
        <source>Select customers first, then press T to tag them.</source>
        <translation>Select customers first, then press T to tag them.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="173"/>
        <source>%1 selected</source>
        <translation>%1 selected</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="176"/>
        <source>filter: %1</source>
        <translation>filter: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="176"/>
        <source>all customers</source>
        <translation>all customers</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="187"/>
        <source>No customers to retag: select some or change the filter.</source>
        <translation>No customers to retag: select some or change the filter.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="205"/>
        <source>Nothing to export: the filter shows no customers.</source>
        <translation>Nothing to export: the filter shows no customers.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="277"/>
        <source>No unfinished batches.</source>
        <translation>No unfinished batches.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="288"/>
        <source>No favourite in slot %1: pin a tag first.</source>
        <translation>No favourite in slot %1: pin a tag first.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="292"/>
        <location filename="../../desktop/ui/main_window.py" line="561"/>
        <source>Select customers first.</source>
        <translation>Select customers first.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="318"/>
        <source>A sync is already running.</source>
        <translation>A sync is already running.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="371"/>
        <source>Sync now</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="373"/>
        <source>Cancel sync</source>
        <translation>Cancel sync</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="376"/>
        <source>Quit</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="380"/>
        <location filename="../../desktop/ui/main_window.py" line="619"/>
        <source>Undo</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="383"/>
        <location filename="../../desktop/ui/main_window.py" line="623"/>
        <source>Redo</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="392"/>
        <source>Select all customers</source>
        <translation>Select all customers</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="394"/>
        <source>Filter…</source>
        <translation>Filter…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="396"/>
        <source>Tag selected customers…</source>
        <translation>Tag selected customers…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="282"/>
        <source>Toggle favourite %1</source>
        <translation>Toggle favourite %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="220"/>
        <source>Logged in to the team server as %1.</source>
        <translation>Logged in to the team server as %1.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/main_window.py" line="252"/>
        <source>Showing the %n relation(s) the batch wrote; change the filter to see everything again.</source>
        <translation>
            <numerusform>Showing the %n relation the batch wrote; change the filter to see everything again.</numerusform>
            <numerusform>Showing the %n relations the batch wrote; change the filter to see everything again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/main_window.py" line="307"/>
        <source>Remove %1 from %n customer(s)</source>
        <translation>
            <numerusform>Remove %1 from %n customer</numerusform>
            <numerusform>Remove %1 from %n customers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/main_window.py" line="308"/>
        <source>Removed %1 from %n customer(s)</source>
        <translation>
            <numerusform>Removed %1 from %n customer</numerusform>
            <numerusform>Removed %1 from %n customers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/main_window.py" line="311"/>
        <source>Add %1 to %n customer(s)</source>
        <translation>
            <numerusform>Add %1 to %n customer</numerusform>
            <numerusform>Add %1 to %n customers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/main_window.py" line="312"/>
        <source>Added %1 to %n customer(s)</source>
        <translation>
            <numerusform>Added %1 to %n customer</numerusform>
            <numerusform>Added %1 to %n customers</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="405"/>
        <source>Retag…</source>
        <translation>Retag…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="407"/>
        <source>Import tags from a spreadsheet…</source>
        <translation>Import tags from a spreadsheet…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="410"/>
        <source>Export customers…</source>
        <translation>Export customers…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="412"/>
        <source>Unfinished batches…</source>
        <translation>Unfinished batches…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="413"/>
        <source>Mutually exclusive tags…</source>
        <translation>Mutually exclusive tags…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="415"/>
        <source>Audit log…</source>
        <translation>Audit log…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="417"/>
        <source>Reports…</source>
        <translation>Reports…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="419"/>
        <source>Show all customers</source>
        <translation>Show all customers</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="421"/>
        <location filename="../../desktop/ui/main_window.py" line="637"/>
        <source>Filter syntax</source>
        <translation>Filter syntax</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="423"/>
        <location filename="../../desktop/ui/main_window.py" line="646"/>
        <source>About TagDesk</source>
        <translation>About TagDesk</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="424"/>
        <source>Log in to the team server…</source>
        <translation>Log in to the team server…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="430"/>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="438"/>
        <source>&amp;Edit</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="443"/>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="444"/>
        <source>Tag tree</source>
        <translation>Tag tree</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="445"/>
        <source>Customer detail</source>
        <translation>Customer detail</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="456"/>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="465"/>
        <source>&amp;Tags</source>
        <translation>&amp;Tags</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="467"/>
        <source>Tag health…</source>
        <translation>Tag health…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="472"/>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="476"/>
        <source>Main</source>
        <translation>Main</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="521"/>
        <source>Copy customer ID</source>
        <translation>Copy customer ID</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="522"/>
        <source>Tag…</source>
        <translation>Tag…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="523"/>
        <source>Open detail</source>
        <translation>Open detail</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/main_window.py" line="544"/>
        <source>Copied %n customer ID(s)</source>
        <translation>
            <numerusform>Copied %n customer ID</numerusform>
            <numerusform>Copied %n customer IDs</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="572"/>
        <source>Tagging failed for %1 customer(s): %2</source>
        <translation>Tagging failed for %1 customer(s): %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="582"/>
        <source>Sync complete: %1 customers, %2 relations, %3 tags in %4 s</source>
        <translation>Sync complete: %1 customers, %2 relations, %3 tags in %4 s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="588"/>
        <source>Sync failed: %1</source>
        <translation>Sync failed: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="591"/>
        <source>Sync cancelled; the cache is unchanged.</source>
        <translation>Sync cancelled; the cache is unchanged.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="638"/>
        <source>How to write a filter</source>
        <translation>How to write a filter</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="647"/>
        <source>TagDesk %1 — WeCom customer tagging and auditing.</source>
        <translation>TagDesk %1 — WeCom customer tagging and auditing.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="651"/>
        <source>TagDesk — %1</source>
        <translation>TagDesk — %1</translation>
    </message>
</context>
<context>
    <name>MigrateDialog</name>
    <message>
        <location filename="../../desktop/ui/migrate_wizard.py" line="105"/>
        <source>Migrate tags</source>
        <translation>Migrate tags</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/migrate_wizard.py" line="112"/>
        <source>source tags, separated by 、 or commas</source>
        <translation>source tags, separated by 、 or commas</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/migrate_wizard.py" line="113"/>
        <source>an existing tag, or a new name (group:name)</source>
        <translation>an existing tag, or a new name (group:name)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/migrate_wizard.py" line="114"/>
        <source>Delete the sources once every customer is moved</source>
        <translation>Delete the sources once every customer is moved</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/migrate_wizard.py" line="115"/>
        <source>Run</source>
        <translation>Run</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/migrate_wizard.py" line="116"/>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/migrate_wizard.py" line="107"/>
        <source>Moves every customer of the sources onto the target. A single source going into a new name in its group is renamed: one call, whatever the number of customers. Otherwise each relation gets one call, as one batch you can undo.</source>
        <translation>Moves every customer of the sources onto the target. A single source going into a new name in its group is renamed: one call, whatever the number of customers. Otherwise each relation gets one call, as one batch you can undo.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/migrate_wizard.py" line="110"/>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/migrate_wizard.py" line="111"/>
        <source>To</source>
        <translation>To</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/migrate_wizard.py" line="126"/>
        <source>Name the sources and the target.</source>
        <translation>Name the sources and the target.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/migrate_wizard.py" line="141"/>
        <source>Rename: one call moves all %1 relations.</source>
        <translation>Rename: one call moves all %1 relations.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/migrate_wizard.py" line="144"/>
        <source>Relabel: %1 relations carry a source; %2 calls (%3 already carry the target).</source>
        <translation>Relabel: %1 relations carry a source; %2 calls (%3 already carry the target).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/migrate_wizard.py" line="150"/>
        <source>The target is created first.</source>
        <translation>The target is created first.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/migrate_wizard.py" line="152"/>
        <source>The sources are deleted at the end.</source>
        <translation>The sources are deleted at the end.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/migrate_wizard.py" line="153"/>
        <source>%1 API calls in all, about %2.</source>
        <translation>%1 API calls in all, about %2.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/migrate_wizard.py" line="203"/>
        <source>Not every customer was moved, so the sources were kept; retry or continue the batch, then migrate again.</source>
        <translation>Not every customer was moved, so the sources were kept; retry or continue the batch, then migrate again.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/migrate_wizard.py" line="206"/>
        <source>Migration finished.</source>
        <translation>Migration finished.</translation>
    </message>
</context>
<context>
    <name>PickerModel</name>
    <message>
        <location filename="../../desktop/ui/tag_picker.py" line="106"/>
        <source>Counting the selected customers…</source>
        <translation>Counting the selected customers…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_picker.py" line="107"/>
        <source>On %1 of the %2 selected</source>
        <translation>On %1 of the %2 selected</translation>
    </message>
</context>
<context>
    <name>ProblemTableModel</name>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="81"/>
        <source>Row</source>
        <translation>Row</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="81"/>
        <source>Column</source>
        <translation>Column</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="81"/>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="81"/>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_wizard.py" line="82"/>
        <source>Suggestion</source>
        <translation>Suggestion</translation>
    </message>
</context>
<context>
    <name>RenameDialog</name>
    <message>
        <location filename="../../desktop/ui/tag_dialogs.py" line="225"/>
        <source>Rename</source>
        <translation>Rename</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_dialogs.py" line="230"/>
        <source>New name</source>
        <translation>New name</translation>
    </message>
</context>
<context>
    <name>ReportsWindow</name>
    <message>
        <location filename="../../desktop/ui/reports.py" line="122"/>
        <source>Reports</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="123"/>
        <source>Most used tags</source>
        <translation>Most used tags</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="127"/>
        <source>Last %1 days</source>
        <translation>Last %1 days</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="128"/>
        <source>Show</source>
        <translation>Show</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="128"/>
        <source>Top</source>
        <translation>Top</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="131"/>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="129"/>
        <source>Period</source>
        <translation>Period</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="131"/>
        <source>Changes per day</source>
        <translation>Changes per day</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="132"/>
        <source>Changes per operator</source>
        <translation>Changes per operator</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="132"/>
        <source>Health</source>
        <translation>Health</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="134"/>
        <source>Save chart as PNG…</source>
        <translation>Save chart as PNG…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="125"/>
        <location filename="../../desktop/ui/reports.py" line="150"/>
        <source>Group: %1</source>
        <translation>Group: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="198"/>
        <source>Follow relations per tag</source>
        <translation>Follow relations per tag</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="199"/>
        <source>Relations</source>
        <translation>Relations</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="206"/>
        <source>Journal rows per day, by source</source>
        <translation>Journal rows per day, by source</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="213"/>
        <source>Changes per operator (seen-at-sync changes left out)</source>
        <translation>Changes per operator (seen-at-sync changes left out)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="215"/>
        <source>Changes</source>
        <translation>Changes</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="221"/>
        <source>Tagged customers</source>
        <translation>Tagged customers</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="222"/>
        <source>Untagged customers</source>
        <translation>Untagged customers</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="227"/>
        <source>Customers with and without tags</source>
        <translation>Customers with and without tags</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="230"/>
        <source>%1 of %2 customers carry no tag; %3 of %4 follow relations carry none.</source>
        <translation>%1 of %2 customers carry no tag; %3 of %4 follow relations carry none.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="236"/>
        <source>No mutually exclusive tag sets are defined.</source>
        <translation>No mutually exclusive tag sets are defined.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="238"/>
        <source>%1 (%2): %3 customers on %4 relations carry two or more.</source>
        <translation>%1 (%2): %3 customers on %4 relations carry two or more.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="259"/>
        <source>Save chart</source>
        <translation>Save chart</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="265"/>
        <source>Saved %1</source>
        <translation>Saved %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/reports.py" line="265"/>
        <source>Could not save %1</source>
        <translation>Could not save %1</translation>
    </message>
</context>
<context>
    <name>RetagDialog</name>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="221"/>
        <source>Retag customers</source>
        <translation>Retag customers</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="222"/>
        <source>%1 customer relations · %2</source>
        <translation>%1 customer relations · %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="224"/>
        <source>selection</source>
        <translation>selection</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="225"/>
        <source>Add / remove tags</source>
        <translation>Add / remove tags</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="226"/>
        <source>Replace within group (重标)</source>
        <translation>Replace within group (重标)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="228"/>
        <source>Tags to add: name, pinyin or initials</source>
        <translation>Tags to add: name, pinyin or initials</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="229"/>
        <source>Tags to remove</source>
        <translation>Tags to remove</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="231"/>
        <source>Also change relations that would carry two mutually exclusive tags</source>
        <translation>Also change relations that would carry two mutually exclusive tags</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="232"/>
        <source>no pilot</source>
        <translation>no pilot</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="233"/>
        <source> relations first</source>
        <translation> relations first</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="204"/>
        <location filename="../../desktop/ui/retag_dialog.py" line="330"/>
        <source>Choose tags to see what would change.</source>
        <translation>Choose tags to see what would change.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="401"/>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="234"/>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="235"/>
        <source>Group to replace:</source>
        <translation>Group to replace:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="236"/>
        <source>Add:</source>
        <translation>Add:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="237"/>
        <source>Remove:</source>
        <translation>Remove:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="238"/>
        <source>Pilot:</source>
        <translation>Pilot:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="341"/>
        <source>Computing the preview…</source>
        <translation>Computing the preview…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="365"/>
        <source>&lt;b&gt;%1&lt;/b&gt; relations to change (%2 API calls) · %3 already as asked</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; relations to change (%2 API calls) · %3 already as asked</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="369"/>
        <source>+ %1: %2 (already tagged: %3)</source>
        <translation>+ %1: %2 (already tagged: %3)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="374"/>
        <source>− %1: %2 (already absent: %3)</source>
        <translation>− %1: %2 (already absent: %3)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="379"/>
        <source>changed anyway</source>
        <translation>changed anyway</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="380"/>
        <source>left out</source>
        <translation>left out</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="381"/>
        <source>&lt;b&gt;%1&lt;/b&gt; relations would carry two exclusive tags (%2):</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; relations would carry two exclusive tags (%2):</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="389"/>
        <source>About %1 at %2 calls/min, %3 at a time</source>
        <translation>About %1 at %2 calls/min, %3 at a time</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="403"/>
        <source>Start pilot (first %1)</source>
        <translation>Start pilot (first %1)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="407"/>
        <source>Change %1 relations</source>
        <translation>Change %1 relations</translation>
    </message>
</context>
<context>
    <name>RevertDialog</name>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="453"/>
        <source>Revert %1</source>
        <translation>Revert %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="455"/>
        <source>%1 relations will be restored; %2 cannot be (changed again since, or the relation is gone). The revert is itself journaled and can be reverted.</source>
        <translation>%1 relations will be restored; %2 cannot be (changed again since, or the relation is gone). The revert is itself journaled and can be reverted.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="460"/>
        <source>Will restore:</source>
        <translation>Will restore:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="467"/>
        <source>Cannot restore:</source>
        <translation>Cannot restore:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_viewer.py" line="473"/>
        <source>Revert</source>
        <translation>Revert</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="64"/>
        <source>Cancel sync</source>
        <translation>Cancel sync</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="82"/>
        <source>Profile: %1</source>
        <translation>Profile: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="87"/>
        <source>Never synced</source>
        <translation>Never synced</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="90"/>
        <source>Last sync: %1</source>
        <translation>Last sync: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="94"/>
        <source>%1 / %2 relations · %3 customers</source>
        <translation>%1 / %2 relations · %3 customers</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="98"/>
        <source>%1 customers in the cache</source>
        <translation>%1 customers in the cache</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="102"/>
        <source>Syncing…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="120"/>
        <source>Cancelling…</source>
        <translation>Cancelling…</translation>
    </message>
</context>
<context>
    <name>TagChooser</name>
    <message>
        <location filename="../../desktop/ui/retag_dialog.py" line="94"/>
        <source>Delete or double-click removes a tag</source>
        <translation>Delete or double-click removes a tag</translation>
    </message>
</context>
<context>
    <name>TagDialogs</name>
    <message>
        <location filename="../../desktop/ui/tag_dialogs.py" line="64"/>
        <source> and %1 more</source>
        <translation> and %1 more</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_dialogs.py" line="67"/>
        <source>Delete tag group</source>
        <translation>Delete tag group</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_dialogs.py" line="68"/>
        <source>Delete the group “%1” with its %2 tags (%3)?</source>
        <translation>Delete the group “%1” with its %2 tags (%3)?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_dialogs.py" line="71"/>
        <source>Delete tag</source>
        <translation>Delete tag</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_dialogs.py" line="72"/>
        <source>Delete %1?</source>
        <translation>Delete %1?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_dialogs.py" line="73"/>
        <source>%1 customers (%2 follow relations) will lose it in WeCom.</source>
        <translation>%1 customers (%2 follow relations) will lose it in WeCom.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_dialogs.py" line="76"/>
        <source>WeCom cannot bring a deleted tag back; the journal keeps who carried it.</source>
        <translation>WeCom cannot bring a deleted tag back; the journal keeps who carried it.</translation>
    </message>
</context>
<context>
    <name>TagPicker</name>
    <message>
        <location filename="../../desktop/ui/tag_picker.py" line="129"/>
        <source>Tag customers</source>
        <translation>Tag customers</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_picker.py" line="132"/>
        <source>Tag: 中文, pinyin, gyx or V3</source>
        <translation>Tag: 中文, pinyin, gyx or V3</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_picker.py" line="147"/>
        <source>Loading tags…</source>
        <translation>Loading tags…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/tag_picker.py" line="167"/>
        <source>Remove %1 from %n customer(s)</source>
        <translation>
            <numerusform>Remove %1 from %n customer</numerusform>
            <numerusform>Remove %1 from %n customers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/tag_picker.py" line="168"/>
        <source>Removed %1 from %n customer(s)</source>
        <translation>
            <numerusform>Removed %1 from %n customer</numerusform>
            <numerusform>Removed %1 from %n customers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/tag_picker.py" line="171"/>
        <source>Add %1 to %n customer(s)</source>
        <translation>
            <numerusform>Add %1 to %n customer</numerusform>
            <numerusform>Add %1 to %n customers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/tag_picker.py" line="172"/>
        <source>Added %1 to %n customer(s)</source>
        <translation>
            <numerusform>Added %1 to %n customer</numerusform>
            <numerusform>Added %1 to %n customers</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_picker.py" line="214"/>
        <source>No tag matches “%1”</source>
        <translation>No tag matches “%1”</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_picker.py" line="216"/>
        <source>Enter: add or remove on %1 selected · Esc: close</source>
        <translation>Enter: add or remove on %1 selected · Esc: close</translation>
    </message>
</context>
<context>
    <name>TagTreeModel</name>
    <message>
        <location filename="../../desktop/ui/tag_tree_model.py" line="200"/>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_model.py" line="200"/>
        <source>Count</source>
        <translation>Count</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_model.py" line="415"/>
        <source>Corp tags</source>
        <translation>Corp tags</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_model.py" line="416"/>
        <source>Rule-group tags</source>
        <translation>Rule-group tags</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_model.py" line="417"/>
        <source>Personal tags</source>
        <translation>Personal tags</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_model.py" line="424"/>
        <source>%1 customer relations carry this tag</source>
        <translation>%1 customer relations carry this tag</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_model.py" line="427"/>
        <source>Abbreviation: %1</source>
        <translation>Abbreviation: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_model.py" line="429"/>
        <source>A path level without a tag of its own</source>
        <translation>A path level without a tag of its own</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_model.py" line="432"/>
        <source>%1 tags; click to show customers with any of them</source>
        <translation>%1 tags; click to show customers with any of them</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_model.py" line="435"/>
        <source>Deeper than five levels: the rest of the path is shown flat</source>
        <translation>Deeper than five levels: the rest of the path is shown flat</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_model.py" line="439"/>
        <source>Rule-group tags are edited in their rule group; TagDesk shows them read-only</source>
        <translation>Rule-group tags are edited in their rule group; TagDesk shows them read-only</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_model.py" line="442"/>
        <source>Saving the new order in WeCom…</source>
        <translation>Saving the new order in WeCom…</translation>
    </message>
</context>
<context>
    <name>TagTreeView</name>
    <message>
        <location filename="../../desktop/ui/tag_tree_view.py" line="100"/>
        <source>Find a tag: 中文, pinyin, gyx, V3</source>
        <translation>Find a tag: 中文, pinyin, gyx, V3</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_view.py" line="318"/>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_view.py" line="329"/>
        <source>Rule-group tags are edited in their rule group; TagDesk shows them read-only</source>
        <translation>Rule-group tags are edited in their rule group; TagDesk shows them read-only</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_view.py" line="102"/>
        <source>New tag…</source>
        <translation>New tag…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_view.py" line="103"/>
        <source>New tag group…</source>
        <translation>New tag group…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_view.py" line="104"/>
        <source>Rename…</source>
        <translation>Rename…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_view.py" line="105"/>
        <source>Abbreviation…</source>
        <translation>Abbreviation…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_view.py" line="106"/>
        <location filename="../../desktop/ui/tag_tree_view.py" line="435"/>
        <source>Pin to favourites</source>
        <translation>Pin to favourites</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_view.py" line="107"/>
        <source>Delete…</source>
        <translation>Delete…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_view.py" line="108"/>
        <source>Migrate to another tag…</source>
        <translation>Migrate to another tag…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_view.py" line="119"/>
        <source>%1 of %2 tags used</source>
        <translation>%1 of %2 tags used</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/tag_tree_view.py" line="123"/>
        <source>%n group(s) near the cap</source>
        <translation>
            <numerusform>%n group near the cap</numerusform>
            <numerusform>%n groups near the cap</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_view.py" line="434"/>
        <source>Unpin from favourites</source>
        <translation>Unpin from favourites</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tag_tree_view.py" line="457"/>
        <source>Tag order</source>
        <translation>Tag order</translation>
    </message>
</context>
<context>
    <name>UnfinishedBatchesDialog</name>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="357"/>
        <source>Unfinished tag batches</source>
        <translation>Unfinished tag batches</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="359"/>
        <source>These batches stopped before all their calls were sent (the app was closed, the pilot is waiting, or WeCom refused for a while). Resume sends exactly the calls still pending.</source>
        <translation>These batches stopped before all their calls were sent (the app was closed, the pilot is waiting, or WeCom refused for a while). Resume sends exactly the calls still pending.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="365"/>
        <source>%1 · %2 · %3 pending, %4 applied, %5 failed</source>
        <translation>%1 · %2 · %3 pending, %4 applied, %5 failed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="370"/>
        <source>Resume</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="371"/>
        <source>Cancel batch</source>
        <translation>Cancel batch</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/batch_progress.py" line="372"/>
        <source>Later</source>
        <translation>Later</translation>
    </message>
</context>
<context>
    <name>UseridDialog</name>
    <message>
        <location filename="../../desktop/ui/userid_dialog.py" line="67"/>
        <source>Your WeCom account</source>
        <translation>Your WeCom account</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/userid_dialog.py" line="69"/>
        <source>TagDesk records who made every change. Enter your own WeCom userid for the profile %1; it is saved with the profile.</source>
        <translation>TagDesk records who made every change. Enter your own WeCom userid for the profile %1; it is saved with the profile.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/userid_dialog.py" line="71"/>
        <source>WeCom userid, e.g. zhangsan</source>
        <translation>WeCom userid, e.g. zhangsan</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/userid_dialog.py" line="59"/>
        <source>Reading the corp&apos;s members…</source>
        <translation>Reading the corp&apos;s members…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/userid_dialog.py" line="93"/>
        <source>Cannot read the corp&apos;s members: %1</source>
        <translation>Cannot read the corp&apos;s members: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/userid_dialog.py" line="102"/>
        <source>%1 is not a member of this corp.</source>
        <translation>%1 is not a member of this corp.</translation>
    </message>
</context>
<context>
    <name>_Labels</name>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="94"/>
        <source>Tag added</source>
        <translation>Tag added</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="94"/>
        <source>Tag removed</source>
        <translation>Tag removed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="95"/>
        <source>Tag created</source>
        <translation>Tag created</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="95"/>
        <source>Tag renamed</source>
        <translation>Tag renamed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="96"/>
        <source>Tag deleted</source>
        <translation>Tag deleted</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="96"/>
        <source>Tags reordered</source>
        <translation>Tags reordered</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="97"/>
        <source>Group created</source>
        <translation>Group created</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="97"/>
        <source>Group renamed</source>
        <translation>Group renamed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="98"/>
        <source>Group deleted</source>
        <translation>Group deleted</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="99"/>
        <source>Groups reordered</source>
        <translation>Groups reordered</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="100"/>
        <source>Exclusive set added</source>
        <translation>Exclusive set added</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="101"/>
        <source>Exclusive set removed</source>
        <translation>Exclusive set removed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="107"/>
        <source>By hand</source>
        <translation>By hand</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="107"/>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="107"/>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="108"/>
        <source>Rule</source>
        <translation>Rule</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="108"/>
        <source>Migration</source>
        <translation>Migration</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="108"/>
        <source>Undo</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="109"/>
        <source>Revert</source>
        <translation>Revert</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="109"/>
        <source>Seen at sync</source>
        <translation>Seen at sync</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="110"/>
        <source>Tag tree</source>
        <translation>Tag tree</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="117"/>
        <source>queued</source>
        <translation>queued</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="117"/>
        <source>in its pilot</source>
        <translation>in its pilot</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="118"/>
        <source>running</source>
        <translation>running</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="118"/>
        <source>paused</source>
        <translation>paused</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="119"/>
        <source>done</source>
        <translation>done</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="119"/>
        <source>cancelled</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="125"/>
        <source>WeCom client / unknown, seen at sync</source>
        <translation>WeCom client / unknown, seen at sync</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="128"/>
        <source>probably %1</source>
        <translation>probably %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/audit_model.py" line="131"/>
        <source>made between %1 and %2</source>
        <translation>made between %1 and %2</translation>
    </message>
</context>
</TS>
