"""`tagdesk scenes list` and `tagdesk scenes apply NAME`: the scene lab's templates."""

from __future__ import annotations

import argparse

from desktop.cli.common import add_common, emit_json, human_output, open_synced_workspace
from desktop.cli.errors import EXIT_OK, UsageError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    scenes = sub.add_parser("scenes", help="scene lab: ready-made tag groups and rules"
                            ).add_subparsers(dest="scenes_command", metavar="SUBCOMMAND",
                                             required=True)
    listing = scenes.add_parser("list", help="the bundled scene templates")
    add_common(listing)
    listing.add_argument("--json", action="store_true", help="end with one JSON line")
    listing.set_defaults(handler=scenes_list)
    apply = scenes.add_parser("apply", help="create a template's tags and keep its rules")
    add_common(apply)
    apply.add_argument("name", metavar="NAME", help="a template (see `tagdesk scenes list`)")
    apply.add_argument("--profile", required=True, metavar="NAME")
    apply.add_argument("--dry-run", action="store_true",
                       help="show everything it would create, reuse and keep; change nothing")
    apply.add_argument("--allow-collisions", action="store_true",
                       help="create a template tag in its group although another group has a"
                            " tag of that name")
    apply.add_argument("--live-codes-for", default="", metavar="U1,U2",
                       help="also make the template's live codes in WeCom for these members")
    apply.add_argument("--map", action="append", default=[], metavar="组:模板标签=组:现有标签",
                       help="use an existing tag for a template tag (the rules and live codes"
                            " then name it); repeatable")
    apply.add_argument("--create-in", action="append", default=[], metavar="组:模板标签=组",
                       help="create a template tag in another existing group (a head's own"
                            " MKT- group, say) instead of the template's; repeatable")
    apply.add_argument("--json", action="store_true", help="end with one JSON line")
    apply.set_defaults(handler=scenes_apply)


def scenes_list(args: argparse.Namespace) -> int:
    from desktop.services.scenes import scenes

    found = scenes()
    if args.json:
        emit_json({"scenes": [
            {"name": s.name, "title": s.title, "title_en": s.title_en, "industry": s.industry,
             "description": s.description, "description_en": s.description_en,
             "tag_groups": len(s.tag_groups), "tags": s.tag_count, "rules": len(s.rules),
             "live_codes": len(s.live_codes)} for s in found]})
        return EXIT_OK
    for s in found:
        print(f"{s.name}\t{s.title} / {s.title_en}\t{s.industry}\t{s.tag_count} 标签 tags"
              f"\t{len(s.rules)} 规则 rules\t{len(s.live_codes)} 活码 live codes")
    return EXIT_OK


def scenes_apply(args: argparse.Namespace) -> int:
    from desktop.services.scenes import SceneService

    out = human_output(args)
    members = [m.strip() for m in args.live_codes_for.replace("，", ",").split(",") if m.strip()]
    with open_synced_workspace(args, write=not args.dry_run) as ws:
        service = SceneService(ws)
        preview = service.preview(args.name, _pairs(args.map, "--map", "组:现有标签",
                                                    "group:existing tag"),
                                  _pairs(args.create_in, "--create-in", "组", "group"))
        scene, plan = preview.scene, preview.plan
        print(f"场景 / Scene: {scene.title} / {scene.title_en}（{scene.industry}）", file=out)
        for group in plan.new_groups:
            print(f"  新建标签组 / new group: {group}", file=out)
        for group, tag in plan.create:
            print(f"  新建标签 / create: {group}:{tag}", file=out)
        for group, tag, _ in plan.reuse:
            print(f"  沿用已有标签 / reuse: {group}:{tag}", file=out)
        for m in plan.mapped:
            print(f"  映射到已有标签 / map: {m.template_label} → {m.label}", file=out)
        for moved in plan.moved:
            print(f"  在组 {moved.home} 中新建 / create in {moved.home}: {moved.template_label}"
                  f" → {moved.label}", file=out)
        for c in plan.collisions:
            print(f"  同名冲突 / name collision: {c.group}:{c.tag} —「{c.tag}」已在组"
                  f" {'、'.join(c.found_in)} 中 / already in {', '.join(c.found_in)}", file=out)
        for name in preview.new_rules:
            print(f"  新增规则 / add rule: {name}", file=out)
        for name in preview.replaced_rules:
            print(f"  替换同名规则 / replace rule: {name}", file=out)
        for code in scene.live_codes:
            made = ("在企业微信新建 / made in WeCom for " + ",".join(members)) if members else (
                "仅数据（加 --live-codes-for 成员 在企业微信新建） / data only (--live-codes-for"
                " U1,U2 makes it in WeCom)")
            print(f"  活码 / live code: state={code.state} {code.remark} →"
                  f" {'、'.join(code.tags)} · {made}", file=out)
        if not args.dry_run:
            service.apply(preview, allow_collisions=args.allow_collisions,
                          live_code_members=members)
            for state, why in preview.live_codes_kept:
                print(f"  活码 state={state} 未新建 / live code not made: {why}", file=out)
            print(f"已应用：新建 {len(preview.created)} 个标签，保存 {len(scene.rules)} 条规则；"
                  f"先用 tagdesk rules simulate 看效果。 / Applied: {len(preview.created)} tags"
                  f" created, {len(scene.rules)} rules kept; see what they would do with"
                  " `tagdesk rules simulate`.", file=out)
            if ws.profile.is_team:
                print("规则已停用：团队服务器按计划运行启用的规则，不经试运行；模拟后用 tagdesk rules enable"
                      " 启用。 / The rules are kept disabled: the team server runs enabled rules on"
                      " its schedule, with no pilot; enable them with `tagdesk rules enable` once"
                      " simulated.", file=out)
    if args.json:
        emit_json({
            "scene": scene.name, "dry_run": args.dry_run, "applied": preview.applied,
            "new_groups": list(plan.new_groups),
            "create": [f"{g}:{t}" for g, t in plan.create],
            "reuse": [{"tag": f"{g}:{t}", "tag_id": i} for g, t, i in plan.reuse],
            "mapped": [{"tag": m.template_label, "to": m.label, "tag_id": m.tag_id}
                       for m in plan.mapped],
            "created_in": [{"tag": m.template_label, "to": m.label} for m in plan.moved],
            "collisions": [{"tag": f"{c.group}:{c.tag}", "found_in": list(c.found_in)}
                           for c in plan.collisions],
            "created": [{"tag": f"{g}:{t}", "tag_id": i} for g, t, i in preview.created],
            "rules": [rule.name for _, rule in scene.rules],
            "replaced_rules": preview.replaced_rules,
            "live_codes": [{"state": c.state, "remark": c.remark, "tags": list(c.tags)}
                           for c in scene.live_codes],
            "live_codes_made": [{"state": s, "config_id": c} for s, c in preview.live_codes],
            "live_codes_not_made": [{"state": s, "reason": r}
                                    for s, r in preview.live_codes_kept],
        })
    return EXIT_OK


def _pairs(given: list[str], flag: str, target_zh: str, target_en: str) -> dict[str, str]:
    """`--map "组:模板标签=组:现有标签"` or `--create-in "组:模板标签=组"` options →
    {template tag: what it becomes}."""
    mapping: dict[str, str] = {}
    for text in given:
        source, equals, target = text.partition("=")
        if not equals or not source.strip() or not target.strip():
            raise UsageError(f"{flag} 应写成「组:模板标签={target_zh}」：{text} / {flag} is written"
                             f" \"group:template tag={target_en}\": {text}")
        mapping[source.strip()] = target.strip()
    return mapping
