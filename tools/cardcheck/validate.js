// Validates Adaptive Cards with the official JavaScript SDK (adaptivecards 3.0.6), as Teams would see them:
// schema 1.5, Teams-like host config. An element the SDK does not know (Teams' Chart.*) passes only with a fallback
// that passes, which is what clients without it render. Input: a JSON array of cards on stdin. Output: a JSON array of
// {index, errors:[...], warnings:[...]} on stdout, one entry per card, in input order.
// The SDK's UMD bundle is used because its lib/ build is ESM with extensionless imports that Node cannot load;
// parsing and validation need no DOM.
"use strict";

const AC = require("adaptivecards/dist/adaptivecards.js");

const TARGET_VERSION = AC.Versions.v1_5;

// The parts of Teams' host config that change validation: interactivity on, at most 6 actions per set.
const teamsHostConfig = new AC.HostConfig({
    supportsInteractivity: true,
    fontFamily: "Segoe UI, system-ui, sans-serif",
    actions: { maxActions: 6, actionsOrientation: "horizontal", actionAlignment: "stretch" },
});

// Events that point at something worth a look but that Teams renders fine.
const WARNING_EVENTS = new Set([AC.ValidationEvent.Hint, AC.ValidationEvent.Deprecated]);

// The SDK ignores properties it does not know (a misspelt "txt" renders as an empty TextBlock), so each
// object's own keys are compared with the SDK's schema for it. The SDK parses child collections outside its
// schema (Action.ShowCard's "card" too), so their names are accepted on any object; the root card may also carry
// "$schema" and Teams' "msteams".
const UNIVERSAL_KEYS = new Set([
    "type", "fallback", "requires", "$data", "$when",
    "body", "actions", "items", "columns", "rows", "cells", "images", "inlines", "sources", "captionSources", "card",
]);
const ROOT_KEYS = new Set(["$schema", "msteams"]);

// The SDK does not enforce this schema-required property; Teams renders an empty block without it.
const REQUIRED_BY_SCHEMA = {
    TextBlock: ["text"],
};

// Teams' chart elements (msteams-docs, "Charts in Adaptive Cards"), unknown to this SDK. Their own properties are
// checked here; like any element the SDK does not know, they are accepted only with a fallback it does know.
const CHART_COMMON = ["type", "id", "title", "colorSet", "fallback", "requires", "height", "horizontalAlignment",
    "isVisible", "lang", "separator", "spacing", "targetWidth", "grid.area"];
const CHART_KEYS = {
    "Chart.Donut": [...CHART_COMMON, "data"],
    "Chart.Pie": [...CHART_COMMON, "data"],
    "Chart.VerticalBar": [...CHART_COMMON, "data", "color", "xAxisTitle", "yAxisTitle", "showBarValues"],
    "Chart.Line": [...CHART_COMMON, "data", "color", "xAxisTitle", "yAxisTitle"],
};
const CHART_DATA_KEYS = {
    "Chart.Donut": ["legend", "value", "color"],
    "Chart.Pie": ["legend", "value", "color"],
    "Chart.VerticalBar": ["x", "y", "color"],
    "Chart.Line": ["legend", "values", "color"],
};

function checkChart(source, report) {
    const keys = CHART_KEYS[source.type];
    if (!keys) {
        return;
    }
    for (const key of Object.keys(source)) {
        if (!keys.includes(key)) {
            report.errors.push(`${describe(source)}: unknown property '${key}'`);
        }
    }
    if (!Array.isArray(source.data) || source.data.length === 0) {
        report.errors.push(`${describe(source)}: property 'data' must be a non-empty array`);
        return;
    }
    for (const point of source.data) {
        for (const key of Object.keys(point ?? {})) {
            if (!CHART_DATA_KEYS[source.type].includes(key)) {
                report.errors.push(`${describe(source)}: unknown data property '${key}'`);
            }
        }
    }
}

function schemaKeys(cardObject) {
    const keys = new Set();
    const schema = cardObject.getSchema();
    for (let i = 0; i < schema.getCount(); i++) {
        keys.add(schema.getItemAt(i).name);
    }
    return keys;
}

function describe(source) {
    const type = source && typeof source.type === "string" ? source.type : "object";
    return source && typeof source.id === "string" ? `${type} '${source.id}'` : type;
}

function checkSource(cardObject, source, report, extraKeys = new Set()) {
    const known = schemaKeys(cardObject);
    for (const key of Object.keys(source)) {
        if (!known.has(key) && !UNIVERSAL_KEYS.has(key) && !extraKeys.has(key)) {
            report.errors.push(`${describe(source)}: unknown property '${key}'`);
        }
    }
    for (const key of REQUIRED_BY_SCHEMA[source.type] ?? []) {
        const value = source[key];
        if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) {
            report.errors.push(`${describe(source)}: property '${key}' must be set`);
        }
    }
}

function validateCard(json, index) {
    const report = { index, errors: [], warnings: [] };
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
        report.errors.push("card is not a JSON object");
        return report;
    }

    const fallbackEvents = [];
    // Unknown element types the SDK replaced by a fallback it could parse, with how many times.
    const replacedByFallback = new Map();
    const context = new AC.SerializationContext(TARGET_VERSION);
    context.onParseElement = (element, source) => {
        // For an unknown element the SDK parses its fallback and reports it with the unknown element's source:
        // follow the fallback chain to the object actually parsed, and check that one like any other element.
        let parsed = source;
        while (parsed.type !== element.getJsonTypeName() && parsed.fallback !== null && typeof parsed.fallback === "object") {
            replacedByFallback.set(parsed.type, (replacedByFallback.get(parsed.type) ?? 0) + 1);
            checkChart(parsed, report);
            parsed = parsed.fallback;
        }
        checkSource(element, parsed, report);
    };
    context.onParseAction = (action, source, ctx) => {
        checkSource(action, source, report);
        // The SDK parses an action's fallback only when the action itself is unknown, yet clients without
        // Action.Execute render the fallback: parse it too so its mistakes surface.
        if (source.fallback !== null && typeof source.fallback === "object") {
            const fallback = ctx.parseAction(action.parent, source.fallback, [], false);
            if (fallback) {
                fallbackEvents.push(...fallback.validateProperties().validationEvents);
            }
        }
    };

    const card = new AC.AdaptiveCard();
    card.hostConfig = teamsHostConfig;
    card.maxVersion = TARGET_VERSION;
    try {
        card.parse(json, context);
    } catch (e) {
        report.errors.push(`parse failed: ${e && e.message ? e.message : String(e)}`);
        return report;
    }

    checkSource(card, json, report, ROOT_KEYS);

    const events = [];
    for (let i = 0; i < context.eventCount; i++) {
        events.push(context.getEventAt(i));
    }
    events.push(...fallbackEvents, ...card.validateProperties().validationEvents);

    for (const e of events) {
        const unknown = e.event === AC.ValidationEvent.UnknownElementType && /"(.+)"/.exec(e.message);
        if (unknown && (replacedByFallback.get(unknown[1]) ?? 0) > 0) {
            replacedByFallback.set(unknown[1], replacedByFallback.get(unknown[1]) - 1);
            continue;
        }
        const text = `${AC.ValidationEvent[e.event]}: ${e.message}`;
        (WARNING_EVENTS.has(e.event) ? report.warnings : report.errors).push(text);
    }
    return report;
}

function readStdin() {
    return new Promise((resolve, reject) => {
        const chunks = [];
        process.stdin.on("data", (c) => chunks.push(c));
        process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        process.stdin.on("error", reject);
    });
}

async function main() {
    const input = JSON.parse(await readStdin());
    if (!Array.isArray(input)) {
        throw new Error("stdin must be a JSON array of cards");
    }
    process.stdout.write(JSON.stringify(input.map(validateCard)));
}

main().catch((e) => {
    process.stderr.write(`cardcheck: ${e && e.stack ? e.stack : String(e)}\n`);
    process.exit(2);
});
