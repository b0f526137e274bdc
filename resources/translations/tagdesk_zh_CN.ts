<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name />
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="72" />
      <source> and %1 more</source>
      <translation> 等另外 %1 个</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="74" />
      <source>Delete tag group</source>
      <translation>删除标签组</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="75" />
      <source>Delete the group “%1” with its %2 tags (%3)?</source>
      <translation>删除标签组“%1”及其 %2 个标签（%3）？</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="78" />
      <source>Delete tag</source>
      <translation>删除标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="79" />
      <source>Delete %1?</source>
      <translation>删除 %1？</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="80" />
      <source>%1 customers (%2 follow relations) will lose it in WeCom.</source>
      <translation>%1 位客户（%2 个跟进关系）将在企业微信中失去该标签。</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="82" />
      <source>WeCom cannot bring a deleted tag back; the journal keeps who carried it.</source>
      <translation>企业微信无法恢复已删除的标签；日志会保留曾带有该标签的客户。</translation>
    </message>
  </context>
  <context>
    <name>AbbreviationDialog</name>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="261" />
      <source>Abbreviation</source>
      <translation>缩写</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="265" />
      <source>e.g. V3; empty removes it</source>
      <translation>例如 V3；留空即删除</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="276" />
      <source>Shared with the whole team; type it in any tag search.</source>
      <translation>全团队共享；可在任何标签搜索中输入。</translation>
    </message>
  </context>
  <context>
    <name>AuditBatchesModel</name>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="368" />
      <source>Last change</source>
      <translation>最近更改</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="368" />
      <source>Batch</source>
      <translation>批次</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="369" />
      <source>Operators</source>
      <translation>操作人</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="369" />
      <source>Source</source>
      <translation>来源</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="370" />
      <source>Changes</source>
      <translation>更改数</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="370" />
      <source>Added</source>
      <translation>添加数</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="371" />
      <source>Removed</source>
      <translation>移除数</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="371" />
      <source>Tree edits</source>
      <translation>标签树编辑</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="372" />
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="397" />
      <source>%1 · not in a batch</source>
      <translation>%1 · 非批次操作</translation>
    </message>
  </context>
  <context>
    <name>AuditRowsModel</name>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="254" />
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="254" />
      <source>Operator</source>
      <translation>操作人</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="255" />
      <source>Action</source>
      <translation>操作</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="255" />
      <source>Source</source>
      <translation>来源</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="256" />
      <source>Customer</source>
      <translation>客户</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="256" />
      <source>Owner</source>
      <translation>负责人</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="257" />
      <source>Tag</source>
      <translation>标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="257" />
      <source>Group</source>
      <translation>标签组</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="258" />
      <source>Batch</source>
      <translation>批次</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="258" />
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="278" />
      <source>(row %1 is missing: run the journal check)</source>
      <translation>（第 %1 行缺失：请运行日志校验）</translation>
    </message>
  </context>
  <context>
    <name>CreateGroupDialog</name>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="200" />
      <source>New tag group</source>
      <translation>新建标签组</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="203" />
      <source>Group name</source>
      <translation>标签组名称</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="204" />
      <source>First tag</source>
      <translation>第一个标签</translation>
    </message>
  </context>
  <context>
    <name>CreateTagDialog</name>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="162" />
      <source>New tag</source>
      <translation>新建标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="170" />
      <source>Name, or a path such as 教育/K12</source>
      <translation>名称，或路径如 教育/K12</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="171" />
      <source>Group</source>
      <translation>标签组</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="172" />
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="181" />
      <source>Create a tag group first.</source>
      <translation>请先创建一个标签组。</translation>
    </message>
  </context>
  <context>
    <name>CustomerTableModel</name>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="243" />
      <source>Corp tags on this follow relation</source>
      <translation>此跟进关系上的企业标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="248" />
      <source>Customer</source>
      <translation>客户</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="248" />
      <source>Company</source>
      <translation>公司</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="249" />
      <source>Owner</source>
      <translation>负责人</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="249" />
      <source>Remark</source>
      <translation>备注</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="250" />
      <source>Channel</source>
      <translation>渠道</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="250" />
      <source>Added</source>
      <translation>添加时间</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="251" />
      <source>Tags</source>
      <translation>标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="281" />
      <source>(no longer in the cache)</source>
      <translation>（已不在本地缓存中）</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="303" />
      <source>Tagging failed: %1</source>
      <translation>打标签失败：%1</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="305" />
      <source>Writing to WeCom…</source>
      <translation>正在写入企业微信…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/customer_table_model.py" line="306" />
      <source>Saved in WeCom</source>
      <translation>已保存到企业微信</translation>
    </message>
  </context>
  <context>
    <name>DetailPane</name>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="49" />
      <location filename="../../desktop/ui/detail_pane.py" line="145" />
      <source>No customer selected</source>
      <translation>未选择客户</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="147" />
      <source>Select a row to see the customer here.</source>
      <translation>选择一行即可在此查看客户详情。</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="160" />
      <source>WeChat user</source>
      <translation>微信用户</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="160" />
      <source>WeCom user</source>
      <translation>企业微信用户</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="162" />
      <source>Type</source>
      <translation>类型</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="162" />
      <source>Company</source>
      <translation>公司</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="163" />
      <source>Position</source>
      <translation>职位</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="164" />
      <source>Followed by</source>
      <translation>跟进人</translation>
    </message>
    <message numerus="yes">
      <location filename="../../desktop/ui/detail_pane.py" line="164" />
      <source>%n member(s)</source>
      <translation>
        <numerusform>%n 位成员</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="172" />
      <source>Remark</source>
      <translation>备注</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="172" />
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="173" />
      <source>Added</source>
      <translation>添加时间</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="173" />
      <source>Channel</source>
      <translation>渠道</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="174" />
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="176" />
      <source>no corp tags</source>
      <translation>无企业标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="182" />
      <source>Personal tags</source>
      <translation>个人标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="183" />
      <source>read-only</source>
      <translation>只读</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="191" />
      <source>Loading personal tags from WeCom…</source>
      <translation>正在从企业微信加载个人标签…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="194" />
      <source>Load personal tags from WeCom</source>
      <translation>从企业微信加载个人标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="200" />
      <source>Recent changes</source>
      <translation>最近变更</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="202" />
      <source>No changes recorded yet.</source>
      <translation>暂无变更记录。</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="215" />
      <source>added</source>
      <translation>添加</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/detail_pane.py" line="215" />
      <source>removed</source>
      <translation>移除</translation>
    </message>
  </context>
  <context>
    <name>Errors</name>
    <message>
      <location filename="../../desktop/ui/errors.py" line="50" />
      <source>Something went wrong inside TagDesk; the details are in %1.</source>
      <translation>TagDesk 内部出错，详情见 %1。</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/errors.py" line="78" />
      <source>TagDesk</source>
      <translation>TagDesk 企微标签工作台</translation>
    </message>
  </context>
  <context>
    <name>FavouritesBar</name>
    <message>
      <location filename="../../desktop/ui/favourites_bar.py" line="212" />
      <source>Pin tags here: drag them from the tree or right-click → Pin</source>
      <translation>在此固定常用标签：从标签树拖入，或右键 → 固定</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/favourites_bar.py" line="217" />
      <source>Favourites</source>
      <translation>常用标签</translation>
    </message>
  </context>
  <context>
    <name>FavouritesModel</name>
    <message>
      <location filename="../../desktop/ui/favourites_bar.py" line="88" />
      <source>Abbreviation: %1</source>
      <translation>缩写：%1</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/favourites_bar.py" line="89" />
      <source>Click to add or remove it on the selected customers</source>
      <translation>点击为所选客户添加或移除此标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/favourites_bar.py" line="91" />
      <source>Alt+%1 or click: add or remove it on the selected customers</source>
      <translation>Alt+%1 或点击：为所选客户添加或移除此标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/favourites_bar.py" line="93" />
      <source>Drag to reorder</source>
      <translation>拖动以调整顺序</translation>
    </message>
  </context>
  <context>
    <name>FilterBar</name>
    <message>
      <location filename="../../desktop/ui/filter_bar.py" line="88" />
      <source>Filter, e.g. 高意向 AND NOT 已成交, 客户等级:VIP, owner:zhangsan, added&gt;=2025-01</source>
      <translation>筛选，例如 高意向 AND NOT 已成交、客户等级:VIP、owner:zhangsan、added&gt;=2025-01</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/filter_bar.py" line="94" />
      <source>Recent filters</source>
      <translation>最近的筛选</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/filter_bar.py" line="96" />
      <source>Saved filters</source>
      <translation>已保存的筛选</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/filter_bar.py" line="267" />
      <source>No recent filters</source>
      <translation>暂无最近的筛选</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/filter_bar.py" line="273" />
      <source>Save current filter…</source>
      <translation>保存当前筛选…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/filter_bar.py" line="284" />
      <source>Delete saved filter</source>
      <translation>删除已保存的筛选</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/filter_bar.py" line="290" />
      <source>Save filter</source>
      <translation>保存筛选</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/filter_bar.py" line="290" />
      <source>Name:</source>
      <translation>名称：</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="87" />
      <source>Select customers first, then press T to tag them.</source>
      <translation>请先选择客户，再按 T 打标签。</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="102" />
      <source>No favourite in slot %1: pin a tag first.</source>
      <translation>第 %1 个常用标签位为空：请先固定一个标签。</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="106" />
      <location filename="../../desktop/ui/main_window.py" line="278" />
      <source>Select customers first.</source>
      <translation>请先选择客户。</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="113" />
      <source>A sync is already running.</source>
      <translation>同步已在进行中。</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="162" />
      <source>Sync now</source>
      <translation>立即同步</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="164" />
      <source>Cancel sync</source>
      <translation>取消同步</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="167" />
      <source>Quit</source>
      <translation>退出</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="169" />
      <source>Undo</source>
      <translation>撤销</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="172" />
      <source>Redo</source>
      <translation>重做</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="176" />
      <source>Select all customers</source>
      <translation>全选客户</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="178" />
      <source>Filter…</source>
      <translation>筛选…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="180" />
      <source>Tag selected customers…</source>
      <translation>给所选客户打标签…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="184" />
      <source>Toggle favourite %1</source>
      <translation>切换常用标签 %1</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="189" />
      <source>Show all customers</source>
      <translation>显示全部客户</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="191" />
      <location filename="../../desktop/ui/main_window.py" line="330" />
      <source>Filter syntax</source>
      <translation>筛选语法</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="193" />
      <location filename="../../desktop/ui/main_window.py" line="339" />
      <source>About TagDesk</source>
      <translation>关于 TagDesk</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="196" />
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="200" />
      <source>&amp;Edit</source>
      <translation>编辑(&amp;E)</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="204" />
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="205" />
      <source>Tag tree</source>
      <translation>标签树</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="206" />
      <source>Customer detail</source>
      <translation>客户详情</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="211" />
      <source>Language</source>
      <translation>语言</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="219" />
      <source>&amp;Tags</source>
      <translation>标签(&amp;T)</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="223" />
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="226" />
      <source>Main</source>
      <translation>主工具栏</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="290" />
      <source>Tagging failed for %1 customer(s): %2</source>
      <translation>%1 个客户打标签失败：%2</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="300" />
      <source>Sync complete: %1 customers, %2 relations, %3 tags in %4 s</source>
      <translation>同步完成：%1 位客户，%2 个跟进关系，%3 个标签，用时 %4 秒</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="306" />
      <source>Sync failed: %1</source>
      <translation>同步失败：%1</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="309" />
      <source>Sync cancelled; the cache is unchanged.</source>
      <translation>同步已取消，本地缓存未改变。</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="331" />
      <source>How to write a filter</source>
      <translation>如何编写筛选条件</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="340" />
      <source>TagDesk %1 — WeCom customer tagging and auditing.</source>
      <translation>TagDesk %1 — 企业微信客户标签与审计工具。</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/main_window.py" line="344" />
      <source>TagDesk — %1</source>
      <translation>TagDesk 企微标签工作台 — %1</translation>
    </message>
  </context>
  <context>
    <name>PickerModel</name>
    <message>
      <location filename="../../desktop/ui/tag_picker.py" line="97" />
      <source>On %1 of the %2 selected</source>
      <translation>所选 %2 个中有 %1 个已带此标签</translation>
    </message>
  </context>
  <context>
    <name>RenameDialog</name>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="230" />
      <source>Rename</source>
      <translation>重命名</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_dialogs.py" line="235" />
      <source>New name</source>
      <translation>新名称</translation>
    </message>
  </context>
  <context>
    <name>StatusBar</name>
    <message>
      <location filename="../../desktop/ui/status_bar.py" line="32" />
      <source>Cancel sync</source>
      <translation>取消同步</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/status_bar.py" line="45" />
      <source>Profile: %1</source>
      <translation>配置：%1</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/status_bar.py" line="49" />
      <source>Never synced</source>
      <translation>从未同步</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/status_bar.py" line="52" />
      <source>Last sync: %1</source>
      <translation>上次同步：%1</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/status_bar.py" line="55" />
      <source>%1 / %2 relations · %3 customers</source>
      <translation>%1 / %2 个跟进关系 · %3 位客户</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/status_bar.py" line="59" />
      <source>%1 customers in the cache</source>
      <translation>本地缓存中共 %1 位客户</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/status_bar.py" line="63" />
      <source>Syncing…</source>
      <translation>正在同步…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/status_bar.py" line="78" />
      <source>Cancelling…</source>
      <translation>正在取消…</translation>
    </message>
  </context>
  <context>
    <name>TagPicker</name>
    <message>
      <location filename="../../desktop/ui/tag_picker.py" line="119" />
      <source>Tag customers</source>
      <translation>给客户打标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_picker.py" line="122" />
      <source>Tag: 中文, pinyin, gyx or V3</source>
      <translation>标签：中文、拼音、gyx 或 V3</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_picker.py" line="137" />
      <source>Loading tags…</source>
      <translation>正在加载标签…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_picker.py" line="192" />
      <source>No tag matches “%1”</source>
      <translation>没有与“%1”匹配的标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_picker.py" line="194" />
      <source>Enter: add or remove on %1 selected · Esc: close</source>
      <translation>Enter：为所选 %1 个添加或移除 · Esc：关闭</translation>
    </message>
  </context>
  <context>
    <name>TagTreeModel</name>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="164" />
      <source>Tag</source>
      <translation>标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="164" />
      <source>Count</source>
      <translation>数量</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="371" />
      <source>Corp tags</source>
      <translation>企业标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="372" />
      <source>Rule-group tags</source>
      <translation>规则组标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="373" />
      <source>Personal tags</source>
      <translation>个人标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="380" />
      <source>%1 customer relations carry this tag</source>
      <translation>%1 个客户关系带有此标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="383" />
      <source>Abbreviation: %1</source>
      <translation>缩写：%1</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="385" />
      <source>A path level without a tag of its own</source>
      <translation>路径中的一层，本身不是标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="387" />
      <source>Deeper than five levels: the rest of the path is shown flat</source>
      <translation>超过五层：其余路径平铺显示</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="391" />
      <source>Rule-group tags are edited in their rule group; TagDesk shows them read-only</source>
      <translation>规则组标签需在其规则组中编辑；TagDesk 仅以只读方式显示</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_model.py" line="394" />
      <source>Saving the new order in WeCom…</source>
      <translation>正在把新顺序保存到企业微信…</translation>
    </message>
  </context>
  <context>
    <name>TagTreeView</name>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="61" />
      <source>Find a tag: 中文, pinyin, gyx, V3</source>
      <translation>查找标签：中文、拼音、gyx、V3</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="236" />
      <source>Tags</source>
      <translation>标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="247" />
      <source>Rule-group tags are edited in their rule group; TagDesk shows them read-only</source>
      <translation>规则组标签需在其规则组中编辑；TagDesk 仅以只读方式显示</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="274" />
      <source>New tag…</source>
      <translation>新建标签…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="275" />
      <source>New tag group…</source>
      <translation>新建标签组…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="276" />
      <source>Rename…</source>
      <translation>重命名…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="277" />
      <source>Abbreviation…</source>
      <translation>缩写…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="278" />
      <location filename="../../desktop/ui/tag_tree_view.py" line="346" />
      <source>Pin to favourites</source>
      <translation>固定到常用标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="279" />
      <source>Delete…</source>
      <translation>删除…</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="281" />
      <source>Find tag</source>
      <translation>查找标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="345" />
      <source>Unpin from favourites</source>
      <translation>从常用标签中移除</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/tag_tree_view.py" line="369" />
      <source>Tag order</source>
      <translation>标签顺序</translation>
    </message>
  </context>
  <context>
    <name>_Labels</name>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="94" />
      <source>Tag added</source>
      <translation>添加标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="94" />
      <source>Tag removed</source>
      <translation>移除标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="95" />
      <source>Tag created</source>
      <translation>创建标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="95" />
      <source>Tag renamed</source>
      <translation>重命名标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="96" />
      <source>Tag deleted</source>
      <translation>删除标签</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="96" />
      <source>Tags reordered</source>
      <translation>调整标签顺序</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="97" />
      <source>Group created</source>
      <translation>创建标签组</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="97" />
      <source>Group renamed</source>
      <translation>重命名标签组</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="98" />
      <source>Group deleted</source>
      <translation>删除标签组</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="99" />
      <source>Groups reordered</source>
      <translation>调整标签组顺序</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="105" />
      <source>By hand</source>
      <translation>手动</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="105" />
      <source>Batch</source>
      <translation>批量</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="105" />
      <source>Import</source>
      <translation>导入</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="106" />
      <source>Rule</source>
      <translation>规则</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="106" />
      <source>Migration</source>
      <translation>迁移</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="106" />
      <source>Undo</source>
      <translation>撤销</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="107" />
      <source>Revert</source>
      <translation>回滚</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="107" />
      <source>Seen at sync</source>
      <translation>同步时发现</translation>
    </message>
    <message>
      <location filename="../../desktop/ui/audit_model.py" line="108" />
      <source>Tag tree</source>
      <translation>标签树</translation>
    </message>
  </context>
</TS>