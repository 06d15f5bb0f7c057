// Preloaded with `node --import ./bench/max-rss.mjs`: on exit, writes this process's peak RSS (KB)
// to the file named by BENCH_RSS_FILE, so the harness can read a child's peak.
import { writeFileSync } from "node:fs";

const file = process.env.BENCH_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
