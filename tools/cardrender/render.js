// Renders Adaptive Card JSON files to PNGs the way Teams draws them, as near as a browser can: the official
// adaptivecards 3.0.6 renderer with a Teams-like light host config (page.html), in headless chromium.
// Usage: node render.js <folder of name.json cards> <output folder for name.png> [chromium path]
// Each card takes two chromium runs: the first lays it out and reports its height in the page title, the second
// takes a screenshot of exactly that size, so nothing is cut off and there is no blank margin.
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { execFileSync } = require("child_process");

const PAGE_WIDTH = 532; // a 500 px card in Teams' 16 px gutter
const LAYOUT_HEIGHT = 4000;

const [cardsDir, outDir, chromium = "/usr/bin/chromium"] = process.argv.slice(2);
if (!cardsDir || !outDir) {
    console.error("usage: node render.js <cards folder> <output folder> [chromium]");
    process.exit(2);
}

const template = fs.readFileSync(path.join(__dirname, "page.html"), "utf8");
const adaptiveCardsJs = require.resolve("adaptivecards/dist/adaptivecards.js");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "cardrender-"));
// Root in a container has no sandbox to drop into; the pages are our own, from local files.
const chromiumFlags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
    "--allow-file-access-from-files", "--virtual-time-budget=5000", `--user-data-dir=${path.join(work, "profile")}`];

function runChromium(args) {
    return execFileSync(chromium, [...chromiumFlags, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 32 << 20 });
}

function render(name) {
    const card = JSON.parse(fs.readFileSync(path.join(cardsDir, `${name}.json`), "utf8"));
    const page = path.join(work, `${name}.html`);
    // The card goes into a script as a JS literal: "</" must not close the script element.
    fs.writeFileSync(page, template
        .replace("__ADAPTIVECARDS_JS__", () => "file://" + adaptiveCardsJs)
        .replace("__CARD_JSON__", () => JSON.stringify(card).replace(/<\//g, "<\\/")));
    const url = "file://" + page;

    const dom = runChromium([`--window-size=${PAGE_WIDTH},${LAYOUT_HEIGHT}`, "--dump-dom", url]);
    const height = Number(/<title>(\d+)<\/title>/.exec(dom)?.[1]);
    if (!height) {
        throw new Error(`${name}: the card did not render (no height reported); is ${adaptiveCardsJs} there?`);
    }

    const png = path.join(outDir, `${name}.png`);
    runChromium([`--window-size=${PAGE_WIDTH},${height}`, `--screenshot=${png}`, url]);
    if (!fs.existsSync(png) || fs.statSync(png).size === 0) {
        throw new Error(`${name}: chromium wrote no screenshot`);
    }
    console.log(`cardrender: ${png} (${PAGE_WIDTH}x${height})`);
}

try {
    fs.mkdirSync(outDir, { recursive: true });
    const names = fs.readdirSync(cardsDir).filter(f => f.endsWith(".json")).map(f => f.slice(0, -5)).sort();
    if (names.length === 0) {
        throw new Error(`no cards (*.json) in ${cardsDir}`);
    }
    names.forEach(render);
} finally {
    fs.rmSync(work, { recursive: true, force: true });
}
