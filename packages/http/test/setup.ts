// Loaded before each test file: @cskit/http first, as in an app that imports it before anything
// touches fetch or imports node:http as an ES module (both make Node set its dispatchers, and the
// transport then cannot tell them from a user's; see internal/send/node-dispatchers.ts).
import "../src/read-response.js";
