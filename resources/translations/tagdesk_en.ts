<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
  <context>
    <name />
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="72" />
      <source> and %1 more</source>
      <translation> and %1 more</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="74" />
      <source>Delete tag group</source>
      <translation>Delete tag group</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="75" />
      <source>Delete the group “%1” with its %2 tags (%3)?</source>
      <translation>Delete the group “%1” with its %2 tags (%3)?</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="78" />
      <source>Delete tag</source>
      <translation>Delete tag</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="79" />
      <source>Delete %1?</source>
      <translation>Delete %1?</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="80" />
      <source>%1 customers (%2 follow relations) will lose it in WeCom.</source>
      <translation>%1 customers (%2 follow relations) will lose it in WeCom.</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="82" />
      <source>WeCom cannot bring a deleted tag back; the journal keeps who carried it.</source>
      <translation>WeCom cannot bring a deleted tag back; the journal keeps who carried it.</translation>
    </message>
  </context>
  <context>
    <name>AbbreviationDialog</name>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="261" />
      <source>Abbreviation</source>
      <translation>Abbreviation</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="265" />
      <source>e.g. V3; empty removes it</source>
      <translation>e.g. V3; empty removes it</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="276" />
      <source>Shared with the whole team; type it in any tag search.</source>
      <translation>Shared with the whole team; type it in any tag search.</translation>
    </message>
  </context>
  <context>
    <name>AuditBatchesModel</name>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="368" />
      <source>Last change</source>
      <translation>Last change</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="368" />
      <source>Batch</source>
      <translation>Batch</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="369" />
      <source>Operators</source>
      <translation>Operators</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="369" />
      <source>Source</source>
      <translation>Source</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="370" />
      <source>Changes</source>
      <translation>Changes</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="370" />
      <source>Added</source>
      <translation>Added</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="371" />
      <source>Removed</source>
      <translation>Removed</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="371" />
      <source>Tree edits</source>
      <translation>Tree edits</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="372" />
      <source>Description</source>
      <translation>Description</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="397" />
      <source>%1 · not in a batch</source>
      <translation>%1 · not in a batch</translation>
    </message>
  </context>
  <context>
    <name>AuditRowsModel</name>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="254" />
      <source>Time</source>
      <translation>Time</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="254" />
      <source>Operator</source>
      <translation>Operator</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="255" />
      <source>Action</source>
      <translation>Action</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="255" />
      <source>Source</source>
      <translation>Source</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="256" />
      <source>Customer</source>
      <translation>Customer</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="256" />
      <source>Owner</source>
      <translation>Owner</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="257" />
      <source>Tag</source>
      <translation>Tag</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="257" />
      <source>Group</source>
      <translation>Group</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="258" />
      <source>Batch</source>
      <translation>Batch</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="258" />
      <source>Reason</source>
      <translation>Reason</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="278" />
      <source>(row %1 is missing: run the journal check)</source>
      <translation>(row %1 is missing: run the journal check)</translation>
    </message>
  </context>
  <context>
    <name>CreateGroupDialog</name>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="200" />
      <source>New tag group</source>
      <translation>New tag group</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="203" />
      <source>Group name</source>
      <translation>Group name</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="204" />
      <source>First tag</source>
      <translation>First tag</translation>
    </message>
  </context>
  <context>
    <name>CreateTagDialog</name>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="162" />
      <source>New tag</source>
      <translation>New tag</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="170" />
      <source>Name, or a path such as 教育/K12</source>
      <translation>Name, or a path such as 教育/K12</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="171" />
      <source>Group</source>
      <translation>Group</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="172" />
      <source>Name</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="181" />
      <source>Create a tag group first.</source>
      <translation>Create a tag group first.</translation>
    </message>
  </context>
  <context>
    <name>CustomerTableModel</name>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="243" />
      <source>Corp tags on this follow relation</source>
      <translation>Corp tags on this follow relation</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="248" />
      <source>Customer</source>
      <translation>Customer</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="248" />
      <source>Company</source>
      <translation>Company</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="249" />
      <source>Owner</source>
      <translation>Owner</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="249" />
      <source>Remark</source>
      <translation>Remark</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="250" />
      <source>Channel</source>
      <translation>Channel</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="250" />
      <source>Added</source>
      <translation>Added</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="251" />
      <source>Tags</source>
      <translation>Tags</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="281" />
      <source>(no longer in the cache)</source>
      <translation>(no longer in the cache)</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="303" />
      <source>Tagging failed: %1</source>
      <translation>Tagging failed: %1</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="305" />
      <source>Writing to WeCom…</source>
      <translation>Writing to WeCom…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="306" />
      <source>Saved in WeCom</source>
      <translation>Saved in WeCom</translation>
    </message>
  </context>
  <context>
    <name>DetailPane</name>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="49" />
      <location filename="../../desktop/ui/detail_pane.py" line="145" />
      <source>No customer selected</source>
      <translation>No customer selected</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="147" />
      <source>Select a row to see the customer here.</source>
      <translation>Select a row to see the customer here.</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="160" />
      <source>WeChat user</source>
      <translation>WeChat user</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="160" />
      <source>WeCom user</source>
      <translation>WeCom user</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="162" />
      <source>Type</source>
      <translation>Type</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="162" />
      <source>Company</source>
      <translation>Company</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="163" />
      <source>Position</source>
      <translation>Position</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="164" />
      <source>Followed by</source>
      <translation>Followed by</translation>
    </message>
    <message numerus="yes">
      <location filename="../../desktop/ui/detail_pane.py" line="164" />
      <source>%n member(s)</source>
      <translation>
        <numerusform>%n member</numerusform>
        <numerusform>%n members</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="172" />
      <source>Remark</source>
      <translation>Remark</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="172" />
      <source>Description</source>
      <translation>Description</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="173" />
      <source>Added</source>
      <translation>Added</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="173" />
      <source>Channel</source>
      <translation>Channel</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="174" />
      <source>Phone</source>
      <translation>Phone</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="176" />
      <source>no corp tags</source>
      <translation>no corp tags</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="182" />
      <source>Personal tags</source>
      <translation>Personal tags</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="183" />
      <source>read-only</source>
      <translation>read-only</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="191" />
      <source>Loading personal tags from WeCom…</source>
      <translation>Loading personal tags from WeCom…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="194" />
      <source>Load personal tags from WeCom</source>
      <translation>Load personal tags from WeCom</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="200" />
      <source>Recent changes</source>
      <translation>Recent changes</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="202" />
      <source>No changes recorded yet.</source>
      <translation>No changes recorded yet.</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="215" />
      <source>added</source>
      <translation>added</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="215" />
      <source>removed</source>
      <translation>removed</translation>
    </message>
  </context>
  <context>
    <name>Errors</name>
    <message>
      <location filename="../../desktop/ui/errors.py" line="50" />
      <source>Something went wrong inside TagDesk; the details are in %1.</source>
      <translation>Something went wrong inside TagDesk; the details are in %1.</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/errors.py" line="78" />
      <source>TagDesk</source>
      <translation>TagDesk</translation>
    </message>
  </context>
  <context>
    <name>FavouritesBar</name>
    <message>
      <location filename="../../desktop/ui/favourites_bar.py" line="212" />
      <source>Pin tags here: drag them from the tree or right-click → Pin</source>
      <translation>Pin tags here: drag them from the tree or right-click → Pin</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/favourites_bar.py" line="217" />
      <source>Favourites</source>
      <translation>Favourites</translation>
    </message>
  </context>
  <context>
    <name>FavouritesModel</name>
    <message>
      <location filename="../../desktop/ui/favourites_bar.py" line="88" />
      <source>Abbreviation: %1</source>
      <translation>Abbreviation: %1</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/favourites_bar.py" line="89" />
      <source>Click to add or remove it on the selected customers</source>
      <translation>Click to add or remove it on the selected customers</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/favourites_bar.py" line="91" />
      <source>Alt+%1 or click: add or remove it on the selected customers</source>
      <translation>Alt+%1 or click: add or remove it on the selected customers</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/favourites_bar.py" line="93" />
      <source>Drag to reorder</source>
      <translation>Drag to reorder</translation>
    </message>
  </context>
  <context>
    <name>FilterBar</name>
    <message>
      <location filename="../../desktop/ui/filter_bar.py" line="88" />
      <source>Filter, e.g. 高意向 AND NOT 已成交, 客户等级:VIP, owner:zhangsan, added&gt;=2025-01</source>
      <translation>Filter, e.g. 高意向 AND NOT 已成交, 客户等级:VIP, owner:zhangsan, added&gt;=2025-01</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/filter_bar.py" line="94" />
      <source>Recent filters</source>
      <translation>Recent filters</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/filter_bar.py" line="96" />
      <source>Saved filters</source>
      <translation>Saved filters</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/filter_bar.py" line="267" />
      <source>No recent filters</source>
      <translation>No recent filters</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/filter_bar.py" line="273" />
      <source>Save current filter…</source>
      <translation>Save current filter…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/filter_bar.py" line="284" />
      <source>Delete saved filter</source>
      <translation>Delete saved filter</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/filter_bar.py" line="290" />
      <source>Save filter</source>
      <translation>Save filter</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/filter_bar.py" line="290" />
      <source>Name:</source>
      <translation>Name:</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="87" />
      <source>Select customers first, then press T to tag them.</source>
      <translation>Select customers first, then press T to tag them.</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="102" />
      <source>No favourite in slot %1: pin a tag first.</source>
      <translation>No favourite in slot %1: pin a tag first.</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="106" />
      <location filename="../../desktop/ui/main_window.py" line="278" />
      <source>Select customers first.</source>
      <translation>Select customers first.</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="113" />
      <source>A sync is already running.</source>
      <translation>A sync is already running.</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="162" />
      <source>Sync now</source>
      <translation>Sync now</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="164" />
      <source>Cancel sync</source>
      <translation>Cancel sync</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="167" />
      <source>Quit</source>
      <translation>Quit</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="169" />
      <source>Undo</source>
      <translation>Undo</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="172" />
      <source>Redo</source>
      <translation>Redo</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="176" />
      <source>Select all customers</source>
      <translation>Select all customers</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="178" />
      <source>Filter…</source>
      <translation>Filter…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="180" />
      <source>Tag selected customers…</source>
      <translation>Tag selected customers…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="184" />
      <source>Toggle favourite %1</source>
      <translation>Toggle favourite %1</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="189" />
      <source>Show all customers</source>
      <translation>Show all customers</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="191" />
      <location filename="../../desktop/ui/main_window.py" line="330" />
      <source>Filter syntax</source>
      <translation>Filter syntax</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="193" />
      <location filename="../../desktop/ui/main_window.py" line="339" />
      <source>About TagDesk</source>
      <translation>About TagDesk</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="196" />
      <source>&amp;File</source>
      <translation>&amp;File</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="200" />
      <source>&amp;Edit</source>
      <translation>&amp;Edit</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="204" />
      <source>&amp;View</source>
      <translation>&amp;View</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="205" />
      <source>Tag tree</source>
      <translation>Tag tree</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="206" />
      <source>Customer detail</source>
      <translation>Customer detail</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="211" />
      <source>Language</source>
      <translation>Language</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="219" />
      <source>&amp;Tags</source>
      <translation>&amp;Tags</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="223" />
      <source>&amp;Help</source>
      <translation>&amp;Help</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="226" />
      <source>Main</source>
      <translation>Main</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="290" />
      <source>Tagging failed for %1 customer(s): %2</source>
      <translation>Tagging failed for %1 customer(s): %2</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="300" />
      <source>Sync complete: %1 customers, %2 relations, %3 tags in %4 s</source>
      <translation>Sync complete: %1 customers, %2 relations, %3 tags in %4 s</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="306" />
      <source>Sync failed: %1</source>
      <translation>Sync failed: %1</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="309" />
      <source>Sync cancelled; the cache is unchanged.</source>
      <translation>Sync cancelled; the cache is unchanged.</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="331" />
      <source>How to write a filter</source>
      <translation>How to write a filter</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="340" />
      <source>TagDesk %1 — WeCom customer tagging and auditing.</source>
      <translation>TagDesk %1 — WeCom customer tagging and auditing.</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="344" />
      <source>TagDesk — %1</source>
      <translation>TagDesk — %1</translation>
    </message>
  </context>
  <context>
    <name>PickerModel</name>
    <message>
      <location filename="../../desktop/ui/tag_picker.py" line="97" />
      <source>On %1 of the %2 selected</source>
      <translation>On %1 of the %2 selected</translation>
    </message>
  </context>
  <context>
    <name>RenameDialog</name>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="230" />
      <source>Rename</source>
      <translation>Rename</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="235" />
      <source>New name</source>
      <translation>New name</translation>
    </message>
  </context>
  <context>
    <name>StatusBar</name>
    <message>
      <location filename="../../desktop/ui/status_bar.py" line="32" />
      <source>Cancel sync</source>
      <translation>Cancel sync</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/status_bar.py" line="45" />
      <source>Profile: %1</source>
      <translation>Profile: %1</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/status_bar.py" line="49" />
      <source>Never synced</source>
      <translation>Never synced</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/status_bar.py" line="52" />
      <source>Last sync: %1</source>
      <translation>Last sync: %1</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/status_bar.py" line="55" />
      <source>%1 / %2 relations · %3 customers</source>
      <translation>%1 / %2 relations · %3 customers</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/status_bar.py" line="59" />
      <source>%1 customers in the cache</source>
      <translation>%1 customers in the cache</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/status_bar.py" line="63" />
      <source>Syncing…</source>
      <translation>Syncing…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/status_bar.py" line="78" />
      <source>Cancelling…</source>
      <translation>Cancelling…</translation>
    </message>
  </context>
  <context>
    <name>TagPicker</name>
    <message>
      <location filename="../../desktop/ui/tag_picker.py" line="119" />
      <source>Tag customers</source>
      <translation>Tag customers</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_picker.py" line="122" />
      <source>Tag: 中文, pinyin, gyx or V3</source>
      <translation>Tag: 中文, pinyin, gyx or V3</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_picker.py" line="137" />
      <source>Loading tags…</source>
      <translation>Loading tags…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_picker.py" line="192" />
      <source>No tag matches “%1”</source>
      <translation>No tag matches “%1”</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_picker.py" line="194" />
      <source>Enter: add or remove on %1 selected · Esc: close</source>
      <translation>Enter: add or remove on %1 selected · Esc: close</translation>
    </message>
  </context>
  <context>
    <name>TagTreeModel</name>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="164" />
      <source>Tag</source>
      <translation>Tag</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="164" />
      <source>Count</source>
      <translation>Count</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="371" />
      <source>Corp tags</source>
      <translation>Corp tags</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="372" />
      <source>Rule-group tags</source>
      <translation>Rule-group tags</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="373" />
      <source>Personal tags</source>
      <translation>Personal tags</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="380" />
      <source>%1 customer relations carry this tag</source>
      <translation>%1 customer relations carry this tag</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="383" />
      <source>Abbreviation: %1</source>
      <translation>Abbreviation: %1</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="385" />
      <source>A path level without a tag of its own</source>
      <translation>A path level without a tag of its own</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="387" />
      <source>Deeper than five levels: the rest of the path is shown flat</source>
      <translation>Deeper than five levels: the rest of the path is shown flat</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="391" />
      <source>Rule-group tags are edited in their rule group; TagDesk shows them read-only</source>
      <translation>Rule-group tags are edited in their rule group; TagDesk shows them read-only</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="394" />
      <source>Saving the new order in WeCom…</source>
      <translation>Saving the new order in WeCom…</translation>
    </message>
  </context>
  <context>
    <name>TagTreeView</name>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="61" />
      <source>Find a tag: 中文, pinyin, gyx, V3</source>
      <translation>Find a tag: 中文, pinyin, gyx, V3</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="236" />
      <source>Tags</source>
      <translation>Tags</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="247" />
      <source>Rule-group tags are edited in their rule group; TagDesk shows them read-only</source>
      <translation>Rule-group tags are edited in their rule group; TagDesk shows them read-only</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="274" />
      <source>New tag…</source>
      <translation>New tag…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="275" />
      <source>New tag group…</source>
      <translation>New tag group…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="276" />
      <source>Rename…</source>
      <translation>Rename…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="277" />
      <source>Abbreviation…</source>
      <translation>Abbreviation…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="278" />
      <location filename="../../desktop/ui/tag_tree_view.py" line="346" />
      <source>Pin to favourites</source>
      <translation>Pin to favourites</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="279" />
      <source>Delete…</source>
      <translation>Delete…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="281" />
      <source>Find tag</source>
      <translation>Find tag</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="345" />
      <source>Unpin from favourites</source>
      <translation>Unpin from favourites</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="369" />
      <source>Tag order</source>
      <translation>Tag order</translation>
    </message>
  </context>
  <context>
    <name>_Labels</name>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="94" />
      <source>Tag added</source>
      <translation>Tag added</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="94" />
      <source>Tag removed</source>
      <translation>Tag removed</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="95" />
      <source>Tag created</source>
      <translation>Tag created</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="95" />
      <source>Tag renamed</source>
      <translation>Tag renamed</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="96" />
      <source>Tag deleted</source>
      <translation>Tag deleted</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="96" />
      <source>Tags reordered</source>
      <translation>Tags reordered</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="97" />
      <source>Group created</source>
      <translation>Group created</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="97" />
      <source>Group renamed</source>
      <translation>Group renamed</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="98" />
      <source>Group deleted</source>
      <translation>Group deleted</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="99" />
      <source>Groups reordered</source>
      <translation>Groups reordered</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="105" />
      <source>By hand</source>
      <translation>By hand</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="105" />
      <source>Batch</source>
      <translation>Batch</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="105" />
      <source>Import</source>
      <translation>Import</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="106" />
      <source>Rule</source>
      <translation>Rule</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="106" />
      <source>Migration</source>
      <translation>Migration</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="106" />
      <source>Undo</source>
      <translation>Undo</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="107" />
      <source>Revert</source>
      <translation>Revert</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="107" />
      <source>Seen at sync</source>
      <translation>Seen at sync</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="108" />
      <source>Tag tree</source>
      <translation>Tag tree</translation>
    </message>
  </context>
</TS>