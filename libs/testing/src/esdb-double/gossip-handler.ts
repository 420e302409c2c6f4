/** `Gossip/Read`: the cluster as this node sees it, which is how the client discovers the leader. */
import type { handleUnaryCall } from '@grpc/grpc-js';
import { ClusterInfo, EndPoint, MemberInfo } from '@eventstore/db-client/generated/gossip_pb';
import type { Empty } from '@eventstore/db-client/generated/shared_pb';
import { encodeUuid } from './wire-codec';

/** One member as gossip reports it. */
export interface Member {
  readonly instanceId: string;
  readonly port: number;
  readonly alive: boolean;
  /** `leader`, `follower`, or `electing` while the cluster has no leader. */
  readonly role: 'leader' | 'follower' | 'electing';
}

const { VNodeState } = MemberInfo;

export function createGossipHandler(members: () => readonly Member[]): handleUnaryCall<Empty, ClusterInfo> {
  return (_call, callback) => {
    const now = String(BigInt(Date.now()) * 10_000n);
    const info = new ClusterInfo().setMembersList(
      members().map((member) =>
        new MemberInfo()
          .setInstanceId(encodeUuid(member.instanceId, false))
          .setTimeStamp(now)
          .setIsAlive(member.alive)
          // A node that is electing is in no state the client connects to: it keeps asking.
          .setState(
            !member.alive
              ? VNodeState.SHUTDOWN
              : member.role === 'leader'
                ? VNodeState.LEADER
                : member.role === 'follower'
                  ? VNodeState.FOLLOWER
                  : VNodeState.UNKNOWN,
          )
          .setHttpEndPoint(new EndPoint().setAddress('127.0.0.1').setPort(member.port)),
      ),
    );
    callback(null, info);
  };
}
