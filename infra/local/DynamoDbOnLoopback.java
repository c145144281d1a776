// DynamoDB Local, listening on 127.0.0.1 only (infra/local/engines.ts runs this file with Java's
// source launcher, DynamoDBLocal.jar on the class path, and DynamoDB Local's own options).
//
// DynamoDBLocal.jar has no option for the address it listens on: its Jetty server takes every
// interface, so anyone on the network could read and write the local tables. This builds the
// server exactly as the jar's main class does, sets its connector's host to the loopback
// address, then starts it.
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class DynamoDbOnLoopback {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    for (Connector connector : ((Server) field.get(proxy)).getConnectors()) {
      ((ServerConnector) connector).setHost("127.0.0.1");
    }
    proxy.start();
  }
}
