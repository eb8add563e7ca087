import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type {
  CiRunInput,
  DeploymentInput,
  IngestResponse,
  MlInfraApiOperations,
  ModuleRegistration,
  ReleaseInput,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { MlInfraStore, NewRun } from '../database/MlInfraStore';
import type {
  ParsedPlan,
  ParsedPolicyReport,
  StreamedTestReport,
  TestCaseSink,
  ParseLimits,
  ParserInput,
} from '../parsers/types';
import { MlInfraConfig } from './config';
import { ModuleAction, ModuleAccess } from './auth/ModuleAccess';
import { entityRefOf, ModuleCatalog } from './ModuleCatalog';
import { TestCaseSpool } from './TestCaseSpool';
import { notInTheFuture } from './serverTime';
import {
  normalizeRunIdentity,
  normalizeVersion,
  requireEnvironment,
} from './validation';

/** The streaming parsers, injected so the service can be tested on its own. */
export interface Parsers {
  streamGoTestJson(
    input: ParserInput,
    limits: ParseLimits,
    onCase: TestCaseSink,
  ): Promise<StreamedTestReport>;
  streamJunitXml(
    input: ParserInput,
    limits: ParseLimits,
    onCase: TestCaseSink,
  ): Promise<StreamedTestReport>;
  streamGoTestText(
    input: ParserInput,
    limits: ParseLimits,
    onCase: TestCaseSink,
  ): Promise<StreamedTestReport>;
  sniffGoTestFormat(
    input: ParserInput,
  ): Promise<{ format: 'go-test-json' | 'go-test'; input: ParserInput }>;
  parseConftestJson(
    input: ParserInput,
    limits?: Partial<ParseLimits>,
  ): Promise<ParsedPolicyReport>;
  parseOpaEvalJson(
    input: ParserInput,
    limits?: Partial<ParseLimits>,
  ): Promise<ParsedPolicyReport>;
  parseSarif(
    input: ParserInput,
    limits?: Partial<ParseLimits>,
  ): Promise<ParsedPolicyReport>;
  parsePlanJson(
    input: ParserInput,
    limits?: Partial<ParseLimits>,
  ): Promise<ParsedPlan>;
}

function principalName(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as {
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject;
}

function isUser(credentials: BackstageCredentials): boolean {
  return (credentials.principal as { type?: string }).type === 'user';
}

/**
 * An upload as the router hands it over: the query string (typed and checked by the validated
 * router against the operation in openapi.yaml), content type and the streaming body.
 */
export interface Upload<Query = UploadQuery<UploadOperation>> {
  query: Query;
  contentType?: string;
  body: ParserInput;
  credentials: BackstageCredentials;
}

type UploadOperation = 'IngestTests' | 'IngestPolicy' | 'IngestDrift';

/** The query of an upload route, as openapi.yaml states it (drift requires `environment`). */
export type UploadQuery<Operation extends UploadOperation> = NonNullable<
  MlInfraApiOperations[Operation]['parameters']['query']
>;

const TEST_FORMATS = ['go-test-json', 'go-test', 'junit'] as const;

/**
 * Turns CI uploads into stored history. The router has checked each request against
 * openapi.yaml; this adds what the spec cannot say (module in the catalog, configured
 * environment, semver, a time not in the future) and parses the upload completely before
 * anything is written; the write is one transaction.
 */
export class IngestionService {
  constructor(
    private readonly options: {
      store: MlInfraStore;
      catalog: ModuleCatalog;
      access: ModuleAccess;
      config: MlInfraConfig;
      parsers: Parsers;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  async ingestTests(
    upload: Upload<UploadQuery<'IngestTests'>>,
  ): Promise<IngestResponse> {
    const requested = this.testFormat(upload);
    const base = await this.uploadContext(upload);
    const { parsers, config } = this.options;
    // Plain go test -v and go test -json share their content types: the body tells them apart.
    const { format, input } =
      requested === 'go-test-output'
        ? await parsers.sniffGoTestFormat(upload.body)
        : { format: requested, input: upload.body };
    const stream = {
      junit: parsers.streamJunitXml,
      'go-test-json': parsers.streamGoTestJson,
      'go-test': parsers.streamGoTestText,
    }[format];
    // Cases are held as they are parsed, past a few MB in a temp file: memory does not grow with
    // the report.
    const spool = TestCaseSpool.create();
    try {
      const report = await stream.call(
        parsers,
        input,
        config.ingestion.limits,
        testCase => spool.add(testCase),
      );
      for (const p of report.packageFailures) {
        spool.add({
          name: '(package failure)',
          suite: p.suite,
          status: 'failed',
          output: p.output,
          attempts: 1,
          flaky: false,
        });
      }

      const failed =
        report.totals.failed > 0 || report.packageFailures.length > 0;
      let status = report.totals.total > 0 ? 'passed' : 'unknown';
      if (failed) {
        status = 'failed';
      }
      const summary = {
        format,
        status,
        ...report.totals,
        flaky: report.flaky,
        packageFailures: report.packageFailures.length,
        ignoredLines: report.ignoredLines,
        ...(report.durationMs !== undefined
          ? { durationMs: report.durationMs }
          : {}),
      };
      const saved = await this.options.store.saveTestRun(
        { ...base, kind: 'tests', format, status, summary },
        () => spool.read(),
        { latestAttemptWins: report.superseded > 0 },
      );
      return this.done(base.entityRef, saved, summary);
    } finally {
      await spool.dispose();
    }
  }

  async ingestPolicy(
    upload: Upload<UploadQuery<'IngestPolicy'>>,
  ): Promise<IngestResponse> {
    const format = this.policyFormat(upload);
    const base = await this.uploadContext(upload);
    const { parsers, config } = this.options;
    const parse = {
      sarif: parsers.parseSarif,
      'opa-eval': parsers.parseOpaEvalJson,
      conftest: parsers.parseConftestJson,
    }[format];
    const report = await parse.call(
      parsers,
      upload.body,
      config.ingestion.limits,
    );

    const counts = { passed: 0, warned: 0, failed: 0 };
    for (const result of report.results) {
      counts[result.outcome] += result.count;
    }
    const status =
      (['failed', 'warned', 'passed'] as const).find(
        outcome => counts[outcome] > 0,
      ) ?? 'unknown';
    const summary = {
      format,
      status,
      results: report.results.length,
      ...counts,
      // Said, not hidden: a count conftest printed below zero (a known conftest bug) became 0.
      ...(report.negativeSuccessCounts
        ? { negativeSuccessCountsStoredAsZero: report.negativeSuccessCounts }
        : {}),
    };
    const saved = await this.options.store.savePolicyRun(
      { ...base, kind: 'policy', format, status, summary },
      report.results,
    );
    return this.done(base.entityRef, saved, summary);
  }

  async ingestDrift(
    upload: Upload<UploadQuery<'IngestDrift'>>,
  ): Promise<IngestResponse> {
    const base = await this.uploadContext(upload);
    const plan = await this.options.parsers.parsePlanJson(
      upload.body,
      this.options.config.ingestion.limits,
    );
    const resources = [...plan.drift, ...plan.changes];
    const status = resources.length > 0 ? 'drifted' : 'clean';
    const summary = {
      status,
      drifted: plan.drift.length,
      changes: plan.changes.length,
      ...(plan.terraformVersion
        ? { terraformVersion: plan.terraformVersion }
        : {}),
    };
    const saved = await this.options.store.saveDriftCheck(
      { ...base, kind: 'drift', format: 'terraform-plan', status, summary },
      resources,
    );
    return this.done(base.entityRef, saved, summary);
  }

  async recordRun(
    input: CiRunInput,
    credentials: BackstageCredentials,
  ): Promise<IngestResponse> {
    const entityRef = await this.requireModule(input.entityRef, credentials);
    const run = normalizeRunIdentity(input);
    const details: Record<string, string | number> = {
      workflow: input.workflow,
      status: input.status,
    };
    for (const key of [
      'conclusion',
      'gitSha',
      'url',
      'startedAt',
      'completedAt',
    ] as const) {
      if (input[key] !== undefined) {
        details[key] = input[key]!;
      }
    }
    const saved = await this.options.store.saveCiRun({
      entityRef,
      kind: 'ci',
      run,
      version: input.version ? normalizeVersion(input.version) : undefined,
      environment: input.environment
        ? requireEnvironment(
            input.environment,
            this.options.config.environments,
          )
        : undefined,
      status: input.conclusion ?? input.status,
      reportedAt: input.completedAt
        ? notInTheFuture(new Date(input.completedAt), 'completedAt', this.now())
        : this.now(),
      summary: details,
    });
    return this.done(entityRef, saved, details);
  }

  async recordRelease(
    input: ReleaseInput,
    credentials: BackstageCredentials,
  ): Promise<IngestResponse> {
    const version = normalizeVersion(input.version);
    const entityRef = await this.requireModule(input.entityRef, credentials);
    const saved = await this.options.store.upsertRelease({
      entityRef,
      version,
      gitSha: input.gitSha,
      changelog: input.changelog,
      releasedAt: input.releasedAt ? new Date(input.releasedAt) : this.now(),
      run: input.run && normalizeRunIdentity(input.run),
    });
    return this.done(entityRef, saved, { version });
  }

  async recordDeployment(
    input: DeploymentInput,
    credentials: BackstageCredentials,
  ): Promise<IngestResponse> {
    const version = normalizeVersion(input.version);
    const environment = requireEnvironment(
      input.environment,
      this.options.config.environments,
    );
    const entityRef = await this.requireModule(input.entityRef, credentials);
    if (!(await this.options.store.getRelease({ entityRef, version }))) {
      throw new InputError(
        `Version ${version} of ${entityRef} is not a known release; report it with POST /releases first`,
      );
    }
    const action = input.action ?? 'deploy';
    const saved = await this.options.store.addDeployment({
      entityRef,
      environment,
      version,
      action,
      // The soak time counts from arrival; the client's claim is kept as data only.
      deployedAt: this.now(),
      reportedDeployedAt: input.deployedAt
        ? new Date(input.deployedAt)
        : undefined,
      // A signed-in user is who they are; a service's claim is stored, and shown, as text.
      deployedBy: isUser(credentials)
        ? principalName(credentials)
        : input.deployedBy ?? principalName(credentials),
      reportedBy: principalName(credentials),
      runUrl: input.runUrl,
      run: input.run && normalizeRunIdentity(input.run),
    });
    return this.done(entityRef, saved, { version, environment, action });
  }

  async registerModule(
    input: ModuleRegistration,
    credentials: BackstageCredentials,
  ): Promise<{ entityRef: string; created: boolean; environments: string[] }> {
    const environments = input.environments?.map(e =>
      requireEnvironment(e, this.options.config.environments, 'environments[]'),
    );
    const entityRef = await this.requireModule(
      input.entityRef,
      credentials,
      'register',
    );
    const { created } = await this.options.store.registerModule(
      entityRef,
      environments,
    );
    return {
      entityRef,
      created,
      environments: environments ?? this.options.config.environments,
    };
  }

  /** The module's ref when the caller may report for it (a CI identity only for its own). */
  private async requireModule(
    ref: string,
    credentials: BackstageCredentials,
    action: ModuleAction = 'report',
  ) {
    return entityRefOf(
      await this.options.access.requireReportable(credentials, ref, action),
    );
  }

  /** What the spec cannot check in an upload's query (before its body is read); the module. */
  private async uploadContext(
    upload: Upload,
  ): Promise<Omit<NewRun, 'kind' | 'status' | 'summary' | 'format'>> {
    const { query } = upload;
    const run = normalizeRunIdentity(query);
    const version =
      query.version !== undefined ? normalizeVersion(query.version) : undefined;
    const environment =
      query.environment !== undefined
        ? requireEnvironment(
            query.environment,
            this.options.config.environments,
          )
        : undefined;
    const reportedAt = query.reportedAt
      ? notInTheFuture(new Date(query.reportedAt), 'reportedAt', this.now())
      : this.now();
    const entityRef = await this.requireModule(
      query.entityRef,
      upload.credentials,
    );
    return { entityRef, run, version, environment, reportedAt };
  }

  /** The format asked for, or `go-test-output` when the body must say which go test output it is. */
  private testFormat(
    upload: Upload<UploadQuery<'IngestTests'>>,
  ): (typeof TEST_FORMATS)[number] | 'go-test-output' {
    const { format } = upload.query;
    if (format) {
      return format;
    }
    const type = (upload.contentType ?? '').toLowerCase();
    if (type.includes('xml')) {
      return 'junit';
    }
    if (
      type === '' ||
      /json|text\/plain|octet-stream|x-www-form-urlencoded/.test(type)
    ) {
      return 'go-test-output';
    }
    throw new InputError(
      `Unsupported Content-Type '${
        upload.contentType
      }'; send go test -json or go test -v output as application/x-ndjson, application/json or text/plain, JUnit as application/xml or text/xml, or pass format= (${TEST_FORMATS.join(
        ', ',
      )})`,
    );
  }

  private policyFormat(upload: Upload<UploadQuery<'IngestPolicy'>>) {
    const { format } = upload.query;
    if (format) {
      return format;
    }
    return /sarif/i.test(upload.contentType ?? '') ? 'sarif' : 'conftest';
  }

  private async done(
    entityRef: string,
    saved: { id: string; replaced: boolean },
    summary: Record<string, string | number>,
  ): Promise<IngestResponse> {
    await this.options.store.registerModule(entityRef);
    // Not awaited: the upload is stored; a slow or failing catalog must not fail it.
    void this.options.catalog.refresh(entityRef);
    return { id: saved.id, replaced: saved.replaced, summary };
  }
}
