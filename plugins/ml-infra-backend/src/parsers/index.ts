export { parseGoTestJson, streamGoTestJson } from './parseGoTestJson';
export { parseGoTestText, streamGoTestText } from './parseGoTestText';
export { sniffGoTestFormat } from './sniffGoTestFormat';
export { parseJunitXml, streamJunitXml } from './parseJunitXml';
export { parseConftestJson } from './parseConftestJson';
export { parseOpaEvalJson } from './parseOpaEvalJson';
export { parseSarif } from './parseSarif';
export { parsePlanJson } from './parsePlanJson';
export { readLines } from './readLines';
export type { Line } from './readLines';
export { DEFAULT_PARSE_LIMITS } from './types';
export type {
  ParseLimits,
  ParserInput,
  ParsedTestCase,
  ParsedTestReport,
  StreamedTestReport,
  TestCaseSink,
  ParsedPolicyResult,
  ParsedPolicyReport,
  ParsedPlan,
} from './types';
