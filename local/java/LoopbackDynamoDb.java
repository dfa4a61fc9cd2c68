// Starts DynamoDB Local bound to 127.0.0.1 only. The emulator's own launcher binds its Jetty server to every interface
// and has no option to change that; this one builds the same server from the same command-line flags and moves its
// connector to the loopback address before starting it. Compiled once into .cache by local/dynamodb-local.ts.
import java.lang.reflect.Field;
import java.lang.reflect.Method;

public final class LoopbackDynamoDb {
  public static void main(String[] args) throws Exception {
    Class<?> runner = Class.forName("com.amazonaws.services.dynamodbv2.local.main.ServerRunner");
    Object proxy = runner.getMethod("createServerFromCommandLineArgs", String[].class).invoke(null, (Object) args);
    Field serverField = proxy.getClass().getDeclaredField("server");
    serverField.setAccessible(true);
    Object jetty = serverField.get(proxy);
    Object[] connectors = (Object[]) jetty.getClass().getMethod("getConnectors").invoke(jetty);
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local has no connector to bind");
    for (Object connector : connectors) {
      Method setHost = connector.getClass().getMethod("setHost", String.class);
      setHost.invoke(connector, "127.0.0.1");
    }
    proxy.getClass().getMethod("start").invoke(proxy);
  }
}
