import type {
  DeleteTaskPushNotificationConfigRequest,
  GetTaskPushNotificationConfigRequest,
  ListTaskPushNotificationConfigsRequest,
  ListTaskPushNotificationConfigsResponse,
  TaskPushNotificationConfig,
} from '@a2a-js/sdk';
import {
  PushNotificationNotSupportedError,
  RequestMalformedError,
  TaskNotFoundError,
} from '@a2a-js/sdk/errors';
import type { ServerCallContext } from '@a2a-js/sdk/server';
import type { Database } from '../../platform/db.js';
import {
  assertPublicAddress,
  OutboundAddressError,
  type OutboundPolicy,
} from '../../platform/outbound/public-fetch.js';
import {
  checkedPushConfig,
  MAX_PUSH_CONFIGS_PER_TASK,
  type PushConfig,
  wireConfigOf,
} from '../domain/push-config.js';
import {
  deletePushConfig,
  findPushConfig,
  listPushConfigs,
  savePushConfig,
} from '../repository/push-configs.js';
import type { PostgresTaskStore } from '../repository/task-store.js';

/** Push notifications as this replica serves them. */
export interface PushSettings {
  /** Which webhook addresses are called (PUSH_ALLOW_PRIVATE_ADDRESSES opens private ones). */
  readonly policy: OutboundPolicy;
}

/** Most configs one ListTaskPushNotificationConfigs page holds. */
const MAX_PAGE_SIZE = 100;

/**
 * The push notification config methods of one agent's A2A handler: a config is reached through
 * its task, read with the caller's scoped task store (another caller's task, and so its configs,
 * is "not found"). A webhook URL is checked when it is saved — its form, then every address its
 * host resolves to (no internal or link-local ones unless the settings allow private ones) — and
 * again by the delivery worker at each connection. Without settings (no signing key to sign
 * notifications with) every method answers -32003.
 */
export class PushConfigMethods {
  constructor(
    private readonly sql: Database,
    private readonly tasks: PostgresTaskStore,
    private readonly settings: PushSettings | undefined,
  ) {}

  /**
   * A config sent with a SendMessage (`configuration.taskPushNotificationConfig`), checked before
   * its task is recorded; save it with {@link saveWithTask} in the task's transaction.
   */
  checkedForSend(config: TaskPushNotificationConfig): Promise<PushConfig> {
    return this.checked(config, 'configuration.taskPushNotificationConfig.');
  }

  /** Saves a checked config with the new task `taskId`, in the transaction `tx` that records it. */
  async saveWithTask(tx: Database, taskId: string, config: PushConfig): Promise<void> {
    await savePushConfig(tx, taskId, config, MAX_PUSH_CONFIGS_PER_TASK);
  }

  async create(
    params: TaskPushNotificationConfig,
    context: ServerCallContext,
  ): Promise<TaskPushNotificationConfig> {
    const taskId = await this.visibleTask(params.taskId, context);
    const config = await this.checked(params, '');
    const saved = await savePushConfig(this.sql, taskId, config, MAX_PUSH_CONFIGS_PER_TASK);
    if (saved === 'full')
      throw new RequestMalformedError(
        `taskId: task ${taskId} has ${MAX_PUSH_CONFIGS_PER_TASK} push notification configs, the most it may have; delete one first`,
      );
    return wireConfigOf(taskId, context.tenant ?? '', config);
  }

  async get(
    params: GetTaskPushNotificationConfigRequest,
    context: ServerCallContext,
  ): Promise<TaskPushNotificationConfig> {
    const taskId = await this.visibleTask(params.taskId, context);
    if (!params.id) throw new RequestMalformedError('id: required');
    const config = await findPushConfig(this.sql, taskId, params.id);
    if (!config)
      throw new TaskNotFoundError(`no push notification config ${params.id} for task ${taskId}`);
    return wireConfigOf(taskId, context.tenant ?? '', config);
  }

  async list(
    params: ListTaskPushNotificationConfigsRequest,
    context: ServerCallContext,
  ): Promise<ListTaskPushNotificationConfigsResponse> {
    const taskId = await this.visibleTask(params.taskId, context);
    if (params.pageSize < 0 || params.pageSize > MAX_PAGE_SIZE)
      throw new RequestMalformedError(`pageSize: expected 1 to ${MAX_PAGE_SIZE}`);
    const pageSize = params.pageSize || MAX_PUSH_CONFIGS_PER_TASK;
    const after = params.pageToken ? configIdOfToken(params.pageToken) : undefined;
    const rows = await listPushConfigs(this.sql, taskId, { after, limit: pageSize + 1 });
    const page = rows.slice(0, pageSize);
    const last = page.at(-1);
    return {
      configs: page.map((config) => wireConfigOf(taskId, context.tenant ?? '', config)),
      nextPageToken: rows.length > pageSize && last ? tokenOfConfigId(last.id) : '',
    };
  }

  /** Deletes the config, and with it the notifications it had not sent; nothing to delete is fine. */
  async delete(
    params: DeleteTaskPushNotificationConfigRequest,
    context: ServerCallContext,
  ): Promise<void> {
    const taskId = await this.visibleTask(params.taskId, context);
    if (!params.id) throw new RequestMalformedError('id: required');
    await deletePushConfig(this.sql, taskId, params.id);
  }

  /** The id of the caller's task `taskId`, or the error saying why there is none to use. */
  private async visibleTask(taskId: string, context: ServerCallContext): Promise<string> {
    this.enabled();
    if (!taskId) throw new RequestMalformedError('taskId: required');
    const task = await this.tasks.load(taskId, context);
    if (!task) throw new TaskNotFoundError(`no task ${taskId}`);
    return task.id;
  }

  private async checked(config: TaskPushNotificationConfig, path: string): Promise<PushConfig> {
    const { policy } = this.enabled();
    const checked = checkedPushConfig(config, { allowHttp: policy.allowPrivate, path });
    try {
      await assertPublicAddress(checked.url, policy);
    } catch (error) {
      if (error instanceof OutboundAddressError)
        throw new RequestMalformedError(`${path}url: ${error.message}`);
      throw error;
    }
    return checked;
  }

  private enabled(): PushSettings {
    if (!this.settings)
      throw new PushNotificationNotSupportedError(
        'push notifications need the orchestrator to sign them: it has no SERVICE_SIGNING_KEY',
      );
    return this.settings;
  }
}

const tokenOfConfigId = (id: string) => Buffer.from(id, 'utf8').toString('base64url');

function configIdOfToken(token: string): string {
  const id = Buffer.from(token, 'base64url').toString('utf8');
  if (!id || tokenOfConfigId(id) !== token)
    throw new RequestMalformedError('pageToken: not a token this server gave');
  return id;
}
