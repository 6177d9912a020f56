/**
 * The HTTP seam between the fake UrlFetchApp and whatever answers it. The Mayar simulator owns
 * these types; the runtime takes any handler of this shape (`simulator.handler`).
 */
export type { HttpHandler, HttpOutcome, HttpRequest } from '../mayar/mayar-simulator';
