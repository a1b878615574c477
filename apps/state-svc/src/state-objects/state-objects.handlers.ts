import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { RequestServer } from '@kailash/backbone';
import {
  AppendStateValue,
  DeleteStateKey,
  GetStateObject,
  IncrementStateValue,
  LockStateObject,
  SetStateValue,
  UnlockStateObject,
  UpdateStateValues,
} from '@kailash/contracts';
import { StateObjectsService } from './state-objects.service';

/** The same operations over NATS: `<ns>.state.cmd.stateobj.<op>` and `<ns>.state.qry.stateobj.get`. */
@Injectable()
export class StateObjectsHandlers implements OnModuleInit {
  constructor(
    private readonly requests: RequestServer,
    private readonly objects: StateObjectsService,
  ) {}

  onModuleInit(): void {
    const { requests, objects } = this;
    requests.handle(GetStateObject, ({ objectId, key }) => objects.get(objectId, key));
    requests.handle(SetStateValue, ({ objectId, key, ...body }, r) =>
      objects.set(objectId, key, body, r.correlationId),
    );
    requests.handle(UpdateStateValues, ({ objectId, ...body }, r) =>
      objects.update(objectId, body, r.correlationId),
    );
    requests.handle(DeleteStateKey, ({ objectId, key, ...body }, r) =>
      objects.delete(objectId, key, body, r.correlationId),
    );
    requests.handle(IncrementStateValue, ({ objectId, key, ...body }, r) =>
      objects.increment(objectId, key, body, r.correlationId),
    );
    requests.handle(AppendStateValue, ({ objectId, key, ...body }, r) =>
      objects.append(objectId, key, body, r.correlationId),
    );
    requests.handle(LockStateObject, ({ objectId, lock, ...body }, r) =>
      objects.lock(objectId, lock, body, r.correlationId),
    );
    requests.handle(UnlockStateObject, ({ objectId, lock, ...body }, r) =>
      objects.unlock(objectId, lock, body, r.correlationId),
    );
  }
}
